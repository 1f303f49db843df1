package com.example.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's SDK snippet is this package's {@link Recommender}, character for character, so the snippet compiles
 * (with its imports) and does what AndroidDeviceFlowTest checks.
 */
class ReadmeSnippetTest {
    @Test
    void readmeSnippet_isTheCompiledRecommender() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String start = "```java\npackage com.example.app;";
        int from = readme.indexOf(start);
        assertTrue(from >= 0, "README.md must hold the SDK snippet starting with: " + start);
        int begin = from + "```java\n".length();
        int end = readme.indexOf("```", begin);
        String snippet = readme.substring(begin, end);
        String source = Files.readString(Path.of("src", "test", "java", "com", "example", "app", "Recommender.java"),
                StandardCharsets.UTF_8);
        assertEquals(source, snippet, "README.md's snippet must equal Recommender.java; copy it over");
    }
}
