package dev.runnerdesk.embedded;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.RunnerException.InvalidRequest;

/** Checks of a request's plain values that several calls share, each naming the field it refuses. */
final class RequestChecks {
    private RequestChecks() {
    }

    static void limit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw new InvalidRequest("limit", "limit must be between 1 and " + max + ", got " + limit);
        }
    }

    static void imageRef(String ref) {
        if (ref.isBlank() || ref.length() > CreateRunnerRequest.MAX_IMAGE_REF_LENGTH
                || ref.chars().anyMatch(ch -> ch <= ' ' || ch == 0x7f)) {
            throw new InvalidRequest("image_ref", "image_ref must be 1 to " + CreateRunnerRequest.MAX_IMAGE_REF_LENGTH
                    + " characters with no spaces or control characters");
        }
    }
}
