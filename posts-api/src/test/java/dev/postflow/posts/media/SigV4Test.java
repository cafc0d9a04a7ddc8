package dev.postflow.posts.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signer against AWS's published examples ("Example: GET Object" and the presigned URL example, Signature Version 4 for Amazon S3). */
class SigV4Test {
  @Test
  void matchesAwsPublishedGetObjectExample() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "examplebucket.s3.amazonaws.com");
    headers.put("Range", "bytes=0-9");
    headers.put("x-amz-content-sha256", SigV4.EMPTY_PAYLOAD);
    headers.put("x-amz-date", "20130524T000000Z");
    String authorization = SigV4.authorization("GET", "/test.txt", "", headers, SigV4.EMPTY_PAYLOAD, "20130524T000000Z", "us-east-1",
        "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    assertEquals("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", authorization);
  }

  /** "Authenticating Requests: Using Query Parameters": GET examplebucket/test.txt for 86,400 s from 2013-05-24. */
  @Test
  void matchesAwsPublishedPresignedUrlExample() {
    String query = SigV4.presignedQuery("GET", "/test.txt", Map.of("Host", "examplebucket.s3.amazonaws.com"), "20130524T000000Z", 86400,
        "us-east-1", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    assertEquals("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
        + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", query);
  }
}
