package dev.postflow.contract.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {
  /** Names answered like a DNS server would; literals go to the JDK, which only parses them. */
  private static final Map<String, String> DNS = Map.of(
      "public.example", "93.184.215.14",
      "internal.example", "10.1.2.3",
      "metadata.example", "169.254.169.254",
      "v6local.example", "fd00::1",
      "mixed.example", "93.184.215.14,192.168.1.20");

  private static InetAddress[] resolve(String host) throws UnknownHostException {
    String answer = DNS.get(host);
    if (answer == null) {
      if (Character.isLetter(host.charAt(0)) && !host.contains(":")) throw new UnknownHostException(host);
      return new InetAddress[] {InetAddress.getByName(host)};
    }
    List<InetAddress> addresses = new ArrayList<>();
    for (String a : answer.split(",")) addresses.add(InetAddress.getByName(a));
    return addresses.toArray(InetAddress[]::new);
  }

  private final AddressPolicy strict = new AddressPolicy(List.of(), false, AddressPolicyTest::resolve);

  @Test
  void refusesEveryHostileUrl() {
    List<String> hostile = List.of(
        "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1/", "http://127.1.2.3:8080/", "http://localhost.localdomain/",
        "http://[::1]/", "http://[::]/", "http://0.0.0.0/", "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/",
        "http://0x7f000001/", "http://127.1/", "http://10.0.0.5/", "http://172.16.3.4/", "http://172.31.255.255/",
        "http://192.168.0.1/", "http://100.64.0.1/", "http://100.127.255.254/", "http://224.0.0.1/", "http://240.0.0.1/",
        "http://255.255.255.255/", "http://198.18.0.1/", "http://192.0.2.10/", "http://[fe80::1]/", "http://[fd12:3456::1]/",
        "http://[fc00::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:10.0.0.1]/", "http://[::127.0.0.1]/",
        "http://[64:ff9b::a00:1]/", "http://[2002:7f00:1::]/", "http://[ff02::1]/", "http://internal.example/",
        "http://metadata.example/", "http://v6local.example/", "http://mixed.example/", "http://user:pw@public.example/",
        "ftp://public.example/", "file:///etc/passwd", "gopher://public.example/", "not a url", "http:///nohost");
    for (String url : hostile) {
      assertNotNull(strict.whyUnsafe(url), url + " must be refused");
    }
  }

  @Test
  void acceptsPublicAddressesAndNames() {
    for (String url : List.of("https://public.example/hooks", "http://93.184.215.14:8443/x", "https://[2606:4700:4700::1111]/",
        "https://8.8.8.8/", "https://172.32.0.1/", "https://100.128.0.1/")) {
      assertNull(strict.whyUnsafe(url), url);
    }
  }

  @Test
  void explainsWhy() {
    assertEquals("the host resolves to a non-public address (169.254.169.254)", strict.whyUnsafe("http://metadata.example/"));
    assertEquals("the host does not resolve", strict.whyUnsafe("https://nowhere.invalid/"));
    assertEquals("the host is an IP address in an ambiguous form (decimal, octal or hex); write it as a.b.c.d",
        strict.whyUnsafe("http://2130706433/"));
  }

  @Test
  void operatorCidrsAllowOnlyWhatTheyName() {
    AddressPolicy local = new AddressPolicy(List.of("127.0.0.0/8", "::1/128"), false, AddressPolicyTest::resolve);
    assertNull(local.whyUnsafe("http://127.0.0.1:9000/"));
    assertNull(local.whyUnsafe("http://[::1]:9000/"));
    assertNotNull(local.whyUnsafe("http://10.0.0.5/"));
    assertNotNull(local.whyUnsafe("http://169.254.169.254/"));
  }

  @Test
  void productionRequiresHttps() {
    AddressPolicy production = new AddressPolicy(List.of(), true, AddressPolicyTest::resolve);
    assertEquals("the URL must start with https://", production.whyUnsafe("http://public.example/"));
    assertNull(production.whyUnsafe("https://public.example/"));
  }

  @Test
  void connectTimeResolutionRefusesARebindingName() throws Exception {
    // Registration saw a public address; at connect time the same name answers with a private one.
    String[] answer = {"93.184.215.14"};
    AddressPolicy policy = new AddressPolicy(List.of(), false, host -> new InetAddress[] {InetAddress.getByName(answer[0])});
    assertArrayEquals(new InetAddress[] {InetAddress.getByName("93.184.215.14")}, policy.resolveSafely("rebind.example"));
    answer[0] = "127.0.0.1";
    assertThrows(AddressPolicy.UnsafeAddressException.class, () -> policy.resolveSafely("rebind.example"));
  }
}
