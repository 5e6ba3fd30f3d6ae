import akka.actor.typed.*;
import akka.actor.typed.javadsl.*;
import akka.cluster.typed.*;
import com.typesafe.config.*;
import io.troupe.core.TroupeConfig;
import io.troupe.remote.RemoteNode;
import java.util.*;

public class Spike {
  public static void main(String[] a) throws Exception {
    String host = a[0]; int port = Integer.parseInt(a[1]); String seed = a[2]; String node = a[3]; String aeron = a[4];
    Map<String,Object> m = new HashMap<>();
    m.put("akka.actor.provider", "cluster");
    m.put("akka.remote.artery.canonical.hostname", host);
    m.put("akka.remote.artery.canonical.port", port);
    m.put("akka.cluster.seed-nodes", List.of("akka://troupe@" + seed));
    m.put("akka.cluster.roles", List.of("troupe-node:" + node));
    m.put("akka.cluster.downing-provider-class", "akka.cluster.sbr.SplitBrainResolverProvider");
    m.put("troupe.remote.node-name", node);
    m.put("troupe.remote.aeron-dir", aeron);
    Config c = TroupeConfig.load(ConfigFactory.parseMap(m));
    long t0 = System.nanoTime();
    ActorSystem<Void> sys = ActorSystem.create(Behaviors.empty(), "troupe", c);
    RemoteNode rn = RemoteNode.get(sys);
    System.out.println("troupe node up " + rn.name() + " in " + (System.nanoTime()-t0)/1_000_000 + " ms");
    Cluster cluster = Cluster.get(sys);
    for (int i = 0; i < 200; i++) {
      int up = 0; StringBuilder sb = new StringBuilder();
      for (akka.cluster.Member mem : cluster.state().getMembers()) { if (mem.status() == akka.cluster.MemberStatus.up()) { up++; sb.append(mem.address()).append(mem.getRoles()).append(' '); } }
      if (up >= 2) { System.out.println("cluster up: " + sb + " after " + (System.nanoTime()-t0)/1_000_000 + " ms"); break; }
      Thread.sleep(100);
    }
    Thread.sleep(3000);
    sys.terminate();
    sys.getWhenTerminated().toCompletableFuture().get();
  }
}
