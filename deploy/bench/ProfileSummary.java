import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a service's CPU went, from async-profiler's collapsed stacks (one line per stack: frames joined by ';', then
 * the sample count): the garbage collector, the JIT compilers, system calls and the kernel, and otherwise the package
 * of the Java method that was running. Then the methods with the most samples of their own.
 * Usage: java ProfileSummary.java FILE.collapsed [TOP]
 */
public class ProfileSummary {
  public static void main(String[] args) throws Exception {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 12;
    Map<String, Long> kinds = new TreeMap<>();
    Map<String, Long> methods = new TreeMap<>();
    long total = 0;
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      int space = line.lastIndexOf(' ');
      if (space < 0) continue;
      long samples = Long.parseLong(line.substring(space + 1).trim());
      List<String> frames = List.of(line.substring(0, space).split(";"));
      total += samples;
      kinds.merge(kind(frames), samples, Long::sum);
      methods.merge(frames.get(frames.size() - 1), samples, Long::sum);
    }
    System.out.printf("%,d samples%n", total);
    print(kinds, total, 14);
    System.out.println("  methods with the most samples of their own:");
    print(methods, total, top);
  }

  /**
   * G1's frames (its threads, and its barriers in the services' own threads) and the JIT's compiler threads by their
   * native frames; else the running Java method's package, or the kernel or native code under the nearest Java frame.
   */
  static String kind(List<String> frames) {
    for (String frame : frames) {
      if (frame.contains("G1") || frame.contains("GangWorker") || frame.contains("GCTask")) return "garbage collector";
      if (frame.contains("CompileBroker")) return "JIT compilers";
    }
    String leaf = frames.get(frames.size() - 1);
    String java = null;
    for (int i = frames.size() - 1; i >= 0 && java == null; i--) {
      if (frames.get(i).contains("/") && !frames.get(i).endsWith("_[k]")) java = frames.get(i);
    }
    String under = java == null ? "native code" : pkg(java);
    if (leaf.endsWith("_[k]")) return "kernel (system calls, scheduling) under " + under;
    return leaf.contains("/") ? pkg(leaf) : "native code under " + under;
  }

  static String pkg(String method) {
    String[] parts = method.split("/");
    int keep = List.of("io", "org", "com", "dev").contains(parts[0]) ? 3 : 2;
    return String.join("/", List.of(parts).subList(0, Math.min(keep, parts.length - 1)));
  }

  static void print(Map<String, Long> counts, long total, int top) {
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
        .forEach(e -> System.out.printf("  %5.1f %%  %.140s%n", 100.0 * e.getValue() / total, e.getKey()));
  }
}
