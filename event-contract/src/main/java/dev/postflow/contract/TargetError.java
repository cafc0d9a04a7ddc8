package dev.postflow.contract;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A target's error as the public API shows it (contract section 4). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TargetError(
    String code, String category, String message, boolean retryable, String providerCode, String action) {}
