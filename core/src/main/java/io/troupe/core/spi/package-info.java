/** Extension points of Troupe's core that other Troupe modules implement. */
package io.troupe.core.spi;
