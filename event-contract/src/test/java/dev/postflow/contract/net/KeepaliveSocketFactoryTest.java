package dev.postflow.contract.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Properties;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

class KeepaliveSocketFactoryTest {
  @Test
  void aConnectedSocketProbesAfterFiveIdleSecondsAndGivesUpAfterThreeProbesTwoSecondsApart() throws Exception {
    KeepaliveSocketFactory factory = new KeepaliveSocketFactory(new Properties());
    assertEquals(List.of(true, 5, 2, 3), optionsOfAConnectedSocket(factory));
    assertEquals(11, factory.secondsUntilNoticed());
  }

  @Test
  void theConnectionPropertiesChangeTheNumbers() throws Exception {
    Properties properties = new Properties();
    properties.setProperty("tcpKeepIdle", "30");
    properties.setProperty("tcpKeepInterval", "10");
    properties.setProperty("tcpKeepCount", "4");
    KeepaliveSocketFactory factory = new KeepaliveSocketFactory(properties);
    assertEquals(List.of(true, 30, 10, 4), optionsOfAConnectedSocket(factory));
    assertEquals(70, factory.secondsUntilNoticed());
  }

  @Test
  void aSocketAskedForWithItsAddressComesConnectedWithTheSameOptions() throws Exception {
    KeepaliveSocketFactory factory = new KeepaliveSocketFactory(new Properties());
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket socket = factory.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
      assertTrue(socket.isConnected());
      assertEquals(List.of(true, 5, 2, 3), List.of(socket.getKeepAlive(), socket.getOption(ExtendedSocketOptions.TCP_KEEPIDLE),
          socket.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL), socket.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)));
    }
  }

  private static List<Object> optionsOfAConnectedSocket(KeepaliveSocketFactory factory) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket socket = factory.createSocket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 1000);
      assertTrue(socket.isConnected());
      return List.of(socket.getKeepAlive(), socket.getOption(ExtendedSocketOptions.TCP_KEEPIDLE),
          socket.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL), socket.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
    }
  }
}
