package dev.postflow.posts.media;

import com.drew.imaging.FileType;
import com.drew.imaging.FileTypeDetector;
import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.gif.GifHeaderDirectory;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.mov.QuickTimeDirectory;
import com.drew.metadata.mov.media.QuickTimeVideoDirectory;
import com.drew.metadata.mp4.Mp4Directory;
import com.drew.metadata.mp4.media.Mp4VideoDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.webp.WebpDirectory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads what a media file is from its bytes, never from its name or the caller's Content-Type: the type by its
 * signature, then width, height and duration with metadata-extractor; a PDF's pages with PDFBox.
 */
public final class MediaInspector {
  /** What the file is. Width, height and duration are null when the file does not say; pages only for documents. */
  public record Facts(String mimeType, Integer width, Integer height, Long durationMs, Integer pages) {
    Facts(String mimeType, Integer width, Integer height, Long durationMs) {
      this(mimeType, width, height, durationMs, null);
    }
  }

  /**
   * A file of a supported kind that no platform could take, refused at upload: a document (PDF, PowerPoint, Word)
   * larger or longer than LinkedIn takes (document_too_large, document_too_many_pages), a PDF PDFBox cannot open
   * without a password or a presentation without slides (document_unreadable), an Office file of before 2007
   * (document_legacy_format); a caption file too large or not UTF-8 text (captions_too_large, captions_unreadable).
   */
  public static final class RefusedFile extends IOException {
    public final String code;

    RefusedFile(String message) {
      this("document_unreadable", message);
    }

    RefusedFile(String code, String message) {
      super(message);
      this.code = code;
    }
  }

  /** The kinds the platforms take. Anything else is refused with 415. */
  private static final Map<FileType, String> SUPPORTED = Map.of(
      FileType.Jpeg, "image/jpeg",
      FileType.Png, "image/png",
      FileType.Gif, "image/gif",
      FileType.WebP, "image/webp",
      FileType.Mp4, "video/mp4",
      FileType.QuickTime, "video/quicktime");

  /** Every type {@link #inspect} answers: what a direct upload may declare. */
  public static final java.util.Set<String> TYPES = java.util.stream.Stream.concat(SUPPORTED.values().stream(),
      java.util.stream.Stream.of(dev.postflow.contract.platform.PlatformRules.PDF, dev.postflow.contract.platform.PlatformRules.PPTX,
          dev.postflow.contract.platform.PlatformRules.DOCX, dev.postflow.contract.platform.PlatformRules.VTT))
      .collect(java.util.stream.Collectors.toUnmodifiableSet());

  private MediaInspector() {}

  /** null when the file is none of the supported kinds. */
  public static Facts inspect(Path file) throws IOException {
    if (isPdf(file)) return pdf(file);
    if (startsWith(file, OLE2)) {
      throw new RefusedFile("document_legacy_format", "the file is an Office file of before 2007 (.ppt, .doc, .xls); LinkedIn's "
          + "documents are counted by their pages, which cannot be read from this format here: save it as .pptx, .docx or PDF");
    }
    if (startsWith(file, ZIP)) {
      Facts office = office(file);
      if (office != null) return office;
    }
    if (isWebVtt(file)) return webVtt(file);
    FileType type;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      type = FileTypeDetector.detectFileType(in);
    }
    String mime = SUPPORTED.get(type);
    if (mime == null) return null;
    Metadata metadata;
    try {
      metadata = ImageMetadataReader.readMetadata(file.toFile());
    } catch (Exception unreadable) {
      return new Facts(mime, null, null, null);
    }
    return switch (type) {
      case Jpeg -> new Facts(mime, integer(metadata, JpegDirectory.class, JpegDirectory.TAG_IMAGE_WIDTH),
          integer(metadata, JpegDirectory.class, JpegDirectory.TAG_IMAGE_HEIGHT), null);
      case Png -> new Facts(mime, integer(metadata, PngDirectory.class, PngDirectory.TAG_IMAGE_WIDTH),
          integer(metadata, PngDirectory.class, PngDirectory.TAG_IMAGE_HEIGHT), null);
      case Gif -> new Facts(mime, integer(metadata, GifHeaderDirectory.class, GifHeaderDirectory.TAG_IMAGE_WIDTH),
          integer(metadata, GifHeaderDirectory.class, GifHeaderDirectory.TAG_IMAGE_HEIGHT), null);
      case WebP -> new Facts(mime, integer(metadata, WebpDirectory.class, WebpDirectory.TAG_IMAGE_WIDTH),
          integer(metadata, WebpDirectory.class, WebpDirectory.TAG_IMAGE_HEIGHT), null);
      case Mp4 -> new Facts(mime, integer(metadata, Mp4VideoDirectory.class, Mp4VideoDirectory.TAG_WIDTH),
          integer(metadata, Mp4VideoDirectory.class, Mp4VideoDirectory.TAG_HEIGHT),
          durationMs(metadata, Mp4Directory.class, Mp4Directory.TAG_DURATION, Mp4Directory.TAG_TIME_SCALE));
      case QuickTime -> new Facts(mime, integer(metadata, QuickTimeVideoDirectory.class, QuickTimeVideoDirectory.TAG_WIDTH),
          integer(metadata, QuickTimeVideoDirectory.class, QuickTimeVideoDirectory.TAG_HEIGHT),
          durationMs(metadata, QuickTimeDirectory.class, QuickTimeDirectory.TAG_DURATION, QuickTimeDirectory.TAG_TIME_SCALE));
      default -> new Facts(mime, null, null, null);
    };
  }

  /** A ZIP archive's local file header (OOXML files are ZIP archives, ECMA-376 Part 2). */
  private static final byte[] ZIP = {0x50, 0x4B, 0x03, 0x04};
  /** An OLE2 compound file's signature (the Office formats of before 2007: .ppt, .doc, .xls). */
  private static final byte[] OLE2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};

  private static boolean startsWith(Path file, byte[] signature) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return java.util.Arrays.equals(in.readNBytes(signature.length), signature);
    }
  }

  /**
   * A PowerPoint (.pptx) or Word (.docx) file, LinkedIn's other document kinds: a ZIP archive with the part that makes
   * it a presentation ({@code ppt/presentation.xml}) or a document ({@code word/document.xml}). Pages: a presentation's
   * slides (its {@code ppt/slides/slideN.xml} parts); a Word file's page count as Word saved it
   * ({@code docProps/app.xml}, Pages), or null where it did not (Word lays pages out only when it opens the file).
   * Any other ZIP archive is no document (null). Only the archive's directory and the small properties part are read.
   */
  private static Facts office(Path file) throws IOException {
    long size = Files.size(file);
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
      boolean presentation = zip.getEntry("ppt/presentation.xml") != null;
      boolean document = zip.getEntry("word/document.xml") != null;
      if (!presentation && !document) return null;
      String kind = presentation ? "PowerPoint file" : "Word file";
      if (size > dev.postflow.contract.platform.PlatformRules.MAX_DOCUMENT_BYTES) {
        throw new RefusedFile("document_too_large", "the " + kind + " is " + size + " bytes; LinkedIn, the platform that takes documents, "
            + "takes at most " + dev.postflow.contract.platform.PlatformRules.MAX_DOCUMENT_BYTES);
      }
      Integer pages;
      if (presentation) {
        java.util.regex.Pattern slide = java.util.regex.Pattern.compile("ppt/slides/slide\\d+\\.xml");
        pages = (int) zip.stream().filter(entry -> slide.matcher(entry.getName()).matches()).count();
        if (pages < 1) throw new RefusedFile("the PowerPoint file has no slides");
      } else {
        pages = wordPages(zip);
      }
      if (pages != null && pages > dev.postflow.contract.platform.PlatformRules.MAX_DOCUMENT_PAGES) {
        throw new RefusedFile("document_too_many_pages", "the " + kind + " has " + pages + (presentation ? " slides" : " pages")
            + "; LinkedIn, the platform that takes documents, takes at most " + dev.postflow.contract.platform.PlatformRules.MAX_DOCUMENT_PAGES);
      }
      return new Facts(presentation ? dev.postflow.contract.platform.PlatformRules.PPTX : dev.postflow.contract.platform.PlatformRules.DOCX,
          null, null, null, pages);
    } catch (java.util.zip.ZipException broken) {
      return null; // not a readable archive: not a document of ours
    }
  }

  /** The Pages property Word stores in docProps/app.xml (read up to 64 KB), or null. */
  private static Integer wordPages(java.util.zip.ZipFile zip) throws IOException {
    java.util.zip.ZipEntry properties = zip.getEntry("docProps/app.xml");
    if (properties == null) return null;
    try (InputStream in = zip.getInputStream(properties)) {
      String xml = new String(in.readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
      java.util.regex.Matcher pages = java.util.regex.Pattern.compile("<(?:\\w+:)?Pages>\\s*(\\d{1,6})\\s*</(?:\\w+:)?Pages>").matcher(xml);
      return pages.find() ? Integer.valueOf(pages.group(1)) : null;
    }
  }

  /** A PDF starts with its header, "%PDF-" (ISO 32000-1, 7.5.2). */
  private static boolean isPdf(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(5);
      return java.util.Arrays.equals(head, "%PDF-".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
  }

  /**
   * A WebVTT file (captions) starts with "WEBVTT", after an optional byte order mark, followed by a space, a tab, a
   * line break or nothing (W3C WebVTT, 4.1).
   */
  private static boolean isWebVtt(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(10);
      int start = head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF ? 3 : 0;
      String text = new String(head, start, head.length - start, java.nio.charset.StandardCharsets.US_ASCII);
      return text.startsWith("WEBVTT") && (text.length() == 6 || " \t\r\n".indexOf(text.charAt(6)) >= 0);
    }
  }

  /**
   * Caption files are text: at most the largest any platform takes (YouTube's 100 MB), and UTF-8 throughout (WebVTT
   * is UTF-8 by definition), so a binary file with a WEBVTT header is refused here, not by the platform at publish time.
   */
  private static Facts webVtt(Path file) throws IOException {
    long size = Files.size(file);
    long max = java.util.Collections.max(dev.postflow.contract.platform.PlatformRules.MAX_CAPTION_BYTES.values());
    if (size > max) throw new RefusedFile("captions_too_large", "the caption file is " + size + " bytes; platforms take at most " + max);
    java.nio.charset.CharsetDecoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT).onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    try (java.io.Reader reader = new java.io.InputStreamReader(Files.newInputStream(file), utf8)) {
      char[] buffer = new char[8192];
      while (reader.read(buffer) != -1) {
        // decoding is the check
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new RefusedFile("captions_unreadable", "the caption file starts as WebVTT but is not UTF-8 text");
    }
    return new Facts(dev.postflow.contract.platform.PlatformRules.VTT, null, null, null);
  }

  /** A PDF's page count (LinkedIn's document posts take at most 300 pages); opened as a file, not read into memory. */
  private static Facts pdf(Path file) throws IOException {
    long size = Files.size(file);
    if (size > dev.postflow.contract.platform.PlatformRules.MAX_DOCUMENT_BYTES) {
      throw new RefusedFile("document_too_large", "the PDF is " + size + " bytes; LinkedIn, the platform that takes documents, takes "
          + "at most " + dev.postflow.contract.platform.PlatformRules.MAX_DOCUMENT_BYTES);
    }
    try (org.apache.pdfbox.pdmodel.PDDocument document = org.apache.pdfbox.Loader.loadPDF(file.toFile())) {
      int pages = document.getNumberOfPages();
      if (pages < 1) throw new RefusedFile("the PDF has no pages");
      if (pages > dev.postflow.contract.platform.PlatformRules.MAX_DOCUMENT_PAGES) {
        throw new RefusedFile("document_too_many_pages", "the PDF has " + pages + " pages; LinkedIn, the platform that takes documents, "
            + "takes at most " + dev.postflow.contract.platform.PlatformRules.MAX_DOCUMENT_PAGES);
      }
      return new Facts(PDF, null, null, null, pages);
    } catch (org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException e) {
      throw new RefusedFile("the PDF is protected by a password; platforms cannot open it");
    } catch (RefusedFile e) {
      throw e;
    } catch (IOException e) {
      throw new RefusedFile("the file starts as a PDF but cannot be read as one: " + e.getMessage());
    }
  }

  public static final String PDF = dev.postflow.contract.platform.PlatformRules.PDF;

  private static Integer integer(Metadata metadata, Class<? extends Directory> kind, int tag) {
    for (Directory directory : metadata.getDirectoriesOfType(kind)) {
      Integer value = directory.getInteger(tag);
      if (value != null && value > 0) return value;
    }
    return null;
  }

  private static Long durationMs(Metadata metadata, Class<? extends Directory> kind, int durationTag, int scaleTag) {
    Directory directory = metadata.getFirstDirectoryOfType(kind);
    if (directory == null) return null;
    Long duration = directory.getLongObject(durationTag);
    Long scale = directory.getLongObject(scaleTag);
    if (duration == null || scale == null || scale <= 0) return null;
    return duration * 1000 / scale;
  }
}
