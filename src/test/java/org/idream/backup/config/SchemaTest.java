package org.idream.backup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Keys is the schema: the shipped file is generated from it, and no key name is typed anywhere else. */
class SchemaTest {
    private static final Path SHIPPED = Path.of("config/application.properties");

    @Test
    void theShippedFileIsTheOneTheSchemaGenerates() throws IOException {
        String generated = Keys.propertiesFile();
        String shipped = Files.readString(SHIPPED);
        if (!generated.equals(shipped)) {
            Path fresh = Path.of("target/application.properties.generated");
            Files.createDirectories(fresh.getParent());
            Files.writeString(fresh, generated);
            assertEquals(generated, shipped, "config/application.properties differs from the schema (Keys.java): "
                    + "if the schema is right, cp " + fresh + " " + SHIPPED);
        }
    }

    @Test
    void everyKeyHasItsDefaultInTheShippedFileAndLoadsFromIt() throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(SHIPPED)));
        for (Key<?> key : Keys.SHIPPED) {
            assertEquals(key.defaultValue(), p.getProperty(key.name()), key.name());
        }
        assertEquals(Keys.SHIPPED.size(), p.size(), "no key in the file outside the schema");
        Settings s = Settings.load(SHIPPED, null, Map.of(), new Properties());
        assertEquals(Keys.ALL.size(), s.describe().size());
    }

    @Test
    void everyOwnKeyHasADescriptionOfOneSentenceOrTwo() {
        Set<String> names = new HashSet<>();
        for (Key<?> key : Keys.SHIPPED) {
            assertTrue(names.add(key.name()), "named once: " + key.name());
            assertTrue(!key.description().isBlank() && key.description().length() < 300, key.name());
        }
    }

    /**
     * A key's name inside a string literal of the main code outside the schema (alone, or in a message) is a
     * second spelling of it: messages say {@code Keys.X.name()}.
     */
    @Test
    void noKeyNameIsTypedOutsideTheSchema() throws IOException {
        Pattern literal = Pattern.compile("\"((?:[^\"\\\\\n]|\\\\.)*)\"");
        List<Pattern> names = Keys.SHIPPED.stream().map(k -> Pattern.compile("(?<![A-Za-z0-9.-])"
                + Pattern.quote(k.name()) + "(?![A-Za-z0-9-]|\\.[A-Za-z0-9])")).toList();
        List<String> found;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            found = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.getFileName().toString().equals("Keys.java"))
                    .flatMap(f -> {
                        try {
                            return literal.matcher(Files.readString(f)).results().map(r -> r.group(1))
                                    .flatMap(text -> names.stream().filter(n -> n.matcher(text).find())
                                            .map(n -> f.getFileName() + ": \"" + text + "\""));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).toList();
        }
        assertEquals(List.of(), found);
    }
}
