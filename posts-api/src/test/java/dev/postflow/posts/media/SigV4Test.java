package dev.postflow.posts.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signer against AWS's published example ("Example: GET Object", Signature Version 4 for Amazon S3). */
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
}
