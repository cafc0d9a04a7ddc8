package dev.postflow.testsupport;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;

/** Real media files for tests: images drawn with ImageIO, and a minimal but well-formed MP4 (ftyp + moov). */
public final class MediaFiles {
  private MediaFiles() {}

  public static byte[] jpeg(int width, int height) {
    return image("jpg", width, height, BufferedImage.TYPE_INT_RGB);
  }

  public static byte[] png(int width, int height) {
    return image("png", width, height, BufferedImage.TYPE_INT_ARGB);
  }

  /** An MP4 whose header says width × height and the duration; it has no frames (enough for anything that reads headers). */
  public static byte[] mp4(int width, int height, long durationMs) {
    return mp4(width, height, durationMs, 0);
  }

  /** The same MP4 made {@code padding} bytes longer by a {@code free} box after its header (a large file, quickly). */
  public static byte[] mp4(int width, int height, long durationMs, int padding) {
    int timescale = 1000;
    Box ftyp = box("ftyp").ascii("isom").u32(512).ascii("isom").ascii("iso2").ascii("avc1").ascii("mp41");
    Box mvhd = box("mvhd").u32(0).u32(0).u32(0).u32(timescale).u32(durationMs).u32(0x00010000).u16(0x0100).zeros(10)
        .matrix().zeros(24).u32(2);
    Box tkhd = box("tkhd").u32(0x00000003).u32(0).u32(0).u32(1).u32(0).u32(durationMs).zeros(8).u16(0).u16(0).u16(0).u16(0)
        .matrix().u32((long) width << 16).u32((long) height << 16);
    Box mdhd = box("mdhd").u32(0).u32(0).u32(0).u32(timescale).u32(durationMs).u16(0x55c4).u16(0);
    Box hdlr = box("hdlr").u32(0).u32(0).ascii("vide").zeros(12).ascii("VideoHandler").zeros(1);
    Box vmhd = box("vmhd").u32(1).u16(0).zeros(6);
    Box avc1 = box("avc1").zeros(6).u16(1).u16(0).u16(0).zeros(12).u16(width).u16(height).u32(0x00480000).u32(0x00480000).u32(0)
        .u16(1).zeros(32).u16(0x0018).u16(0xffff);
    Box stsd = box("stsd").u32(0).u32(1).child(avc1);
    Box stbl = box("stbl").child(stsd).child(box("stts").u32(0).u32(0)).child(box("stsc").u32(0).u32(0))
        .child(box("stsz").u32(0).u32(0).u32(0)).child(box("stco").u32(0).u32(0));
    Box minf = box("minf").child(vmhd).child(stbl);
    Box mdia = box("mdia").child(mdhd).child(hdlr).child(minf);
    Box trak = box("trak").child(tkhd).child(mdia);
    Box moov = box("moov").child(mvhd).child(trak);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ftyp.bytes());
    out.writeBytes(moov.bytes());
    if (padding > 0) out.writeBytes(box("free").zeros(Math.max(0, padding - 8)).bytes());
    return out.toByteArray();
  }

  private static byte[] image(String format, int width, int height, int type) {
    BufferedImage image = new BufferedImage(width, height, type);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(30, 120, 200));
    g.fillRect(0, 0, width, height);
    g.setColor(Color.WHITE);
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Box box(String type) {
    return new Box(type);
  }

  private static final class Box {
    private final String type;
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();

    Box(String type) {
      this.type = type;
    }

    Box u32(long value) {
      payload.write((int) (value >>> 24) & 0xff);
      payload.write((int) (value >>> 16) & 0xff);
      payload.write((int) (value >>> 8) & 0xff);
      payload.write((int) value & 0xff);
      return this;
    }

    Box u16(int value) {
      payload.write((value >>> 8) & 0xff);
      payload.write(value & 0xff);
      return this;
    }

    Box zeros(int count) {
      payload.writeBytes(new byte[count]);
      return this;
    }

    Box ascii(String text) {
      payload.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    /** The identity transformation matrix of mvhd and tkhd. */
    Box matrix() {
      return u32(0x00010000).u32(0).u32(0).u32(0).u32(0x00010000).u32(0).u32(0).u32(0).u32(0x40000000);
    }

    Box child(Box child) {
      payload.writeBytes(child.bytes());
      return this;
    }

    byte[] bytes() {
      byte[] body = payload.toByteArray();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int size = body.length + 8;
      out.write((size >>> 24) & 0xff);
      out.write((size >>> 16) & 0xff);
      out.write((size >>> 8) & 0xff);
      out.write(size & 0xff);
      out.writeBytes(type.getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(body);
      return out.toByteArray();
    }
  }

  /**
   * A PDF of {@code pages} empty A4 pages: header, catalog, page tree, pages and a cross-reference table with each
   * object's byte offset (ISO 32000-1, 7.5), so a strict reader opens it.
   */
  public static byte[] pdf(int pages) {
    StringBuilder out = new StringBuilder("%PDF-1.4\n");
    java.util.List<Integer> offsets = new java.util.ArrayList<>();
    offsets.add(out.length());
    out.append("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    StringBuilder kids = new StringBuilder();
    for (int i = 0; i < pages; i++) kids.append(3 + i).append(" 0 R ");
    offsets.add(out.length());
    out.append("2 0 obj\n<< /Type /Pages /Kids [").append(kids).append("] /Count ").append(pages).append(" >>\nendobj\n");
    for (int i = 0; i < pages; i++) {
      offsets.add(out.length());
      out.append(3 + i).append(" 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n");
    }
    int xref = out.length();
    out.append("xref\n0 ").append(offsets.size() + 1).append("\n0000000000 65535 f \n");
    for (int offset : offsets) out.append(String.format("%010d 00000 n \n", offset));
    out.append("trailer\n<< /Size ").append(offsets.size() + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
    return out.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** A PowerPoint file (Office Open XML, .pptx) of {@code slides} slides, made of the parts a reader looks for. */
  public static byte[] pptx(int slides) {
    java.util.Map<String, String> parts = new java.util.LinkedHashMap<>();
    parts.put("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        + "<Override PartName=\"/ppt/presentation.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml\"/></Types>");
    parts.put("ppt/presentation.xml", "<?xml version=\"1.0\"?><p:presentation xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"/>");
    for (int i = 1; i <= slides; i++) {
      parts.put("ppt/slides/slide" + i + ".xml", "<?xml version=\"1.0\"?><p:sld xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"/>");
      parts.put("ppt/slides/_rels/slide" + i + ".xml.rels", "<?xml version=\"1.0\"?><Relationships/>");
    }
    return zip(parts);
  }

  /** A Word file (Office Open XML, .docx) whose properties say it has {@code pages} pages (none when null). */
  public static byte[] docx(Integer pages) {
    java.util.Map<String, String> parts = new java.util.LinkedHashMap<>();
    parts.put("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>");
    parts.put("word/document.xml", "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body/></w:document>");
    if (pages != null) {
      parts.put("docProps/app.xml", "<?xml version=\"1.0\"?><Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
          + "<Application>Microsoft Office Word</Application><Pages>" + pages + "</Pages><Words>120</Words></Properties>");
    }
    return zip(parts);
  }

  private static byte[] zip(java.util.Map<String, String> parts) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
      for (var part : parts.entrySet()) {
        zip.putNextEntry(new java.util.zip.ZipEntry(part.getKey()));
        zip.write(part.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A WebVTT caption file with {@code cues} cues of two seconds each. */
  public static byte[] vtt(String text, int cues) {
    StringBuilder out = new StringBuilder("WEBVTT\n\n");
    for (int i = 0; i < cues; i++) {
      out.append(String.format("00:00:%02d.000 --> 00:00:%02d.000%n%s %d%n%n", i * 2, i * 2 + 2, text, i + 1));
    }
    return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
