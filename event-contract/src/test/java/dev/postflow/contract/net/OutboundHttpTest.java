package dev.postflow.contract.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client for servers a user names connects to the addresses the SSRF guard checked: a name only the guard's
 * resolver knows is reached (so nothing resolves it a second time), and a name that answers a public address to the
 * check and a private one afterwards (DNS rebinding) is refused at the connect.
 */
class OutboundHttpTest {
  private HttpServer server;
  private int port;
  private final List<String> hostHeaders = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/page", exchange -> {
      hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
      byte[] body = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/html");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.createContext("/moved", exchange -> {
      exchange.getResponseHeaders().add("Location", "http://10.0.0.1/inside");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    server.createContext("/form", exchange -> {
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      byte[] body = (type + "|" + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(201, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    port = server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void connectsToTheAddressTheGuardResolved() throws Exception {
    // Only the guard's resolver knows this name: the JDK's would fail, so reaching the server shows no second lookup.
    AddressPolicy policy = new AddressPolicy(List.of("127.0.0.0/8"), false, host -> {
      if (host.equals("pds.pinned.test")) return new InetAddress[] {InetAddress.getLoopbackAddress()};
      throw new UnknownHostException(host);
    });
    assertThrows(UnknownHostException.class, () -> InetAddress.getAllByName("pds.pinned.test"));
    try (OutboundHttp http = OutboundHttp.guarded(policy, Duration.ofSeconds(5), "test")) {
      OutboundHttp.Answer answer = http.get("http://pds.pinned.test:" + port + "/page", Map.of());
      assertEquals(200, answer.status());
      assertEquals("text/html", answer.header("content-type"));
      assertEquals(5000, answer.body().length);
      assertFalse(answer.truncated());
      assertEquals("pds.pinned.test:" + port, hostHeaders.get(0), "the server is still named by its host");

      OutboundHttp.Answer cut = http.send("GET", "http://pds.pinned.test:" + port + "/page", Map.of(), null, 1000);
      assertEquals(1000, cut.body().length);
      assertTrue(cut.truncated());

      OutboundHttp.Answer moved = http.get("http://pds.pinned.test:" + port + "/moved", Map.of());
      assertEquals(302, moved.status(), "redirects are not followed: the caller checks where they lead");
      assertEquals("http://10.0.0.1/inside", moved.header("Location"));

      OutboundHttp.Answer form = http.post("http://pds.pinned.test:" + port + "/form",
          Map.of("Content-Type", "application/x-www-form-urlencoded"), "name=Gr%C3%BC%C3%9Fe");
      assertEquals(201, form.status());
      assertEquals("application/x-www-form-urlencoded|name=Gr%C3%BC%C3%9Fe", form.text());
    }
  }

  @Test
  void aNameThatRebindsToAPrivateAddressIsRefusedAtTheConnect() throws Exception {
    // The first answer (the check) is public; every later one points inside.
    AtomicInteger lookups = new AtomicInteger();
    AddressPolicy policy = new AddressPolicy(List.of(), false, host -> new InetAddress[] {
        InetAddress.getByName(lookups.getAndIncrement() == 0 ? "93.184.215.14" : "127.0.0.1")});
    String url = "http://rebind.test:" + port + "/page";
    assertNull(policy.whyUnsafe(url), "the check sees a public address");
    try (OutboundHttp http = OutboundHttp.guarded(policy, Duration.ofSeconds(5), "test")) {
      assertThrows(AddressPolicy.UnsafeAddressException.class, () -> http.get(url, Map.of()));
    }
    assertTrue(hostHeaders.isEmpty(), "nothing reached the private address");
  }

  @Test
  void theUnguardedClientIsForConfiguredServers() throws Exception {
    try (OutboundHttp http = OutboundHttp.unguarded(Duration.ofSeconds(5), "test")) {
      assertEquals(200, http.get("http://127.0.0.1:" + port + "/page", Map.of()).status());
    }
  }
}
