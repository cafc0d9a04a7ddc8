package dev.postflow.contract.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Properties;
import javax.net.SocketFactory;
import jdk.net.ExtendedSocketOptions;

/**
 * The sockets of the services' JDBC connections (PostgreSQL's driver, {@code socketFactory=} this class): TCP
 * keepalive probes after 5 s without traffic, 3 probes 2 s apart ({@link DatabaseSockets}). A database host that
 * vanishes is then noticed about 11 s after it last answered, while a statement waits for its result, instead of never
 * (the driver's default has no keepalive and no read timeout).
 *
 * <p>The driver passes its connection properties; {@code tcpKeepIdle}, {@code tcpKeepInterval} and
 * {@code tcpKeepCount} (seconds, seconds, probes) change the numbers. The driver itself switches keepalive on or off
 * after connecting, so {@code tcpKeepAlive=true} must be set with this factory.
 */
public final class KeepaliveSocketFactory extends SocketFactory {
  private final int idleSeconds;
  private final int intervalSeconds;
  private final int count;

  public KeepaliveSocketFactory(Properties properties) {
    idleSeconds = number(properties, "tcpKeepIdle", DatabaseSockets.IDLE_SECONDS);
    intervalSeconds = number(properties, "tcpKeepInterval", DatabaseSockets.INTERVAL_SECONDS);
    count = number(properties, "tcpKeepCount", DatabaseSockets.COUNT);
  }

  /** Seconds from the last answer until a vanished peer is noticed. */
  public int secondsUntilNoticed() {
    return idleSeconds + intervalSeconds * count;
  }

  @Override
  public Socket createSocket() throws IOException {
    Socket socket = new Socket();
    socket.setKeepAlive(true);
    socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, idleSeconds);
    socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, intervalSeconds);
    socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, count);
    return socket;
  }

  // The driver connects the socket from createSocket() itself; the other ways a SocketFactory is asked for a
  // socket connect one made the same way.
  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
  }

  private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
    Socket socket = createSocket();
    try {
      if (local != null) socket.bind(local);
      socket.connect(remote);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static int number(Properties properties, String name, int fallback) {
    String value = properties.getProperty(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }
}
