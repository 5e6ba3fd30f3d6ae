/**
 * {@code chat-room}: the chat room of Akka's documentation across processes. The {@link
 * io.troupe.examples.chatroom.ChatRoom} and its sessions run in one process; scripted {@link
 * io.troupe.examples.chatroom.Gabbler}s run in worker processes ({@code --role demo}), or people
 * run {@link io.troupe.examples.chatroom.Client}s in terminals of their own ({@code --role room} in
 * one, {@code --role client} in others). Clients reach the room through refs in messages ({@code
 * GetSession}, {@code SessionGranted}) or, by hand, through a lookup of the published name on node
 * {@code room}.
 */
package io.troupe.examples.chatroom;
