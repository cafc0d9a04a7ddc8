package dev.postflow.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

public final class Ports {
  private Ports() {}

  /**
   * A loopback TCP port that was free a moment ago, chosen below Linux's ephemeral range (32768-60999): a port
   * handed out by the kernel could be taken in between by any outgoing connection, such as a Kafka client's.
   */
  public static int free() {
    for (int tries = 0; tries < 200; tries++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
      try (ServerSocket socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free port found between 20000 and 32000");
  }
}
