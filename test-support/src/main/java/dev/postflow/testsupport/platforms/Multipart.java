package dev.postflow.testsupport.platforms;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the text fields of a multipart/form-data body (or a url-encoded one) the way a simulator needs them. */
public final class Multipart {
  private static final Pattern PART = Pattern.compile("Content-Disposition: form-data; name=\"([^\"]+)\"(?:; filename=\"[^\"]*\")?\\r\\n(?:[^\\r\\n]+\\r\\n)*\\r\\n(.*?)\\r\\n--",
      Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

  private Multipart() {}

  public static Map<String, String> fields(Simulator.Call call) {
    String type = call.header("Content-Type");
    Map<String, String> fields = new LinkedHashMap<>(call.query());
    if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
      fields.putAll(call.form());
      return fields;
    }
    Matcher part = PART.matcher(new String(call.body(), StandardCharsets.ISO_8859_1));
    while (part.find()) {
      fields.put(part.group(1), new String(part.group(2).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }
    return fields;
  }
}
