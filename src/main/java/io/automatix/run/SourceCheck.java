package io.automatix.run;

import java.util.Optional;

/**
 * Whether an offered run's source_path may be read on its source: inside that source's roots, as
 * given and, where the check can be made here, as resolved. The transfer checks again before it copies.
 */
@FunctionalInterface
public interface SourceCheck {

    /** @return why the path is refused, or empty */
    Optional<String> refusal(String sourceHost, String sourcePath);
}
