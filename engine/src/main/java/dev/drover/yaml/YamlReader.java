package dev.drover.yaml;

import dev.drover.error.Position;
import dev.drover.error.UserError;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads YAML the way Ansible does (YAML 1.1: {@code yes}/{@code on} are booleans, {@code 0644} is 420),
 * keeping the position of every node so that errors can name file:line:column.
 *
 * <p>Callers that validate structure (playbooks, inventories) walk the {@link Node} tree from {@link #parse}
 * and convert leaf values with {@link #toJava}; callers that only want data use {@link #load}.
 * Plain Java values are: {@code LinkedHashMap<String,Object>}, {@code ArrayList<Object>}, String, Integer,
 * Long, BigInteger, Double, Boolean, null, and {@link VaultText} for {@code !vault} values.
 */
public final class YamlReader {
    private static final Tag UNSAFE = new Tag("!unsafe");
    private static final Tag VAULT = new Tag("!vault");

    private YamlReader() {}

    /**
     * A parsed document: its root node (null for an empty file), the file it came from, and the vault keys
     * its inline {@code !vault} values will be opened with.
     */
    public record Document(Path file, Node root, VaultKeys keys) {
        public Document(Path file, Node root) {
            this(file, root, VaultKeys.NONE);
        }

        public Position position(Node node) {
            return YamlReader.position(file, node);
        }

        public Object toJava() {
            return root == null ? null : toJava(root);
        }

        /** One node of this document as plain Java values. */
        public Object toJava(Node node) {
            return YamlReader.toJava(file, keys, node);
        }
    }

    public static Document parse(Path file) {
        return parse(file, VaultKeys.NONE);
    }

    /**
     * Reads and parses a file. A file that is vault-encrypted as a whole (ansible-vault encrypt) is opened with
     * {@code keys} first, as Ansible's loader does for every YAML file it reads.
     */
    public static Document parse(Path file, VaultKeys keys) {
        String raw = readRaw(file);
        if (!VaultKeys.isEncrypted(raw)) return parse(file, raw, keys);
        Document doc = parse(file, open(file, raw, keys), keys);
        // every value of a vaulted file is a secret (its keys and structure are not)
        if (doc.root() != null) markValues(doc.root(), keys);
        return doc;
    }

    /** A file's text, decrypted when it is a vault; for readers that parse it themselves (INI inventories). */
    public static String readText(Path file, VaultKeys keys) {
        String raw = readRaw(file);
        return VaultKeys.isEncrypted(raw) ? open(file, raw, keys) : raw;
    }

    private static String readRaw(Path file) {
        try {
            return readUtf8(file);
        } catch (NoSuchFileException e) {
            throw new UserError(Position.file(file), "file not found");
        } catch (IOException e) {
            throw new UserError(Position.file(file), "cannot read file: " + e.getMessage());
        }
    }

    private static String open(Path file, String envelope, VaultKeys keys) {
        return new String(keys.decrypt(envelope, Position.file(file)), StandardCharsets.UTF_8);
    }

    private static void markValues(Node node, VaultKeys keys) {
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) markValues(t.getValueNode(), keys);
        } else if (node instanceof SequenceNode s) {
            for (Node n : s.getValue()) markValues(n, keys);
        } else if (node instanceof ScalarNode sc && sc.getTag().equals(Tag.STR)) {
            keys.sensitive(sc.getValue());
        }
    }

    /**
     * The file as UTF-8 text; bytes that are not UTF-8 (a binary or Latin-1 file) are a user error at the line and
     * column where decoding stopped, rather than the JDK's bare "Input length = 1".
     */
    public static String readUtf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        out.flip();
        String text = out.toString();
        if (result.isError()) {
            int line = (int) text.chars().filter(c -> c == '\n').count() + 1;
            int column = text.length() - text.lastIndexOf('\n');
            throw new UserError(Position.of(file, line, column), String.format("expected UTF-8 text, found the byte"
                    + " 0x%02X (at offset %d); is this a binary file?", bytes[in.position()] & 0xff, in.position()));
        }
        return text;
    }

    public static Document parse(Path file, String text) {
        return parse(file, text, VaultKeys.NONE);
    }

    public static Document parse(Path file, String text, VaultKeys keys) {
        try {
            Node root = newYaml().compose(new StringReader(text));
            return new Document(file, root, keys);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            if (problem.contains("\\t")) problem = "found a tab character; YAML does not allow tabs for indentation, use spaces";
            Position pos = mark == null ? Position.file(file) : Position.of(file, mark.getLine() + 1, mark.getColumn() + 1);
            String context = e.getContext() != null ? e.getContext() + ": " : "";
            throw new UserError(pos, "invalid YAML: " + context + problem, e);
        } catch (ReaderException e) {
            // binary or control characters: the reader knows the offset only, the line and column come from the text
            int at = Math.min(Math.max(e.getPosition(), 0), text.codePointCount(0, text.length()));
            String before = text.substring(0, text.offsetByCodePoints(0, at));
            int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
            int column = before.length() - before.lastIndexOf('\n');
            throw new UserError(Position.of(file, line, column), "invalid YAML: special character "
                    + String.format("U+%04X", e.getCodePoint()) + " is not allowed (is this a binary file?)", e);
        } catch (YAMLException e) {
            // no mark (nesting depth, alias limits): the document as a whole is refused
            throw new UserError(Position.of(file, 1, 1), "invalid YAML: " + e.getMessage(), e);
        }
    }

    /** Parses and converts in one step; for data files (vars files, YAML inventories' values). */
    public static Object load(Path file) {
        return parse(file).toJava();
    }

    public static Object load(Path file, VaultKeys keys) {
        return parse(file, keys).toJava();
    }

    public static Position position(Path file, Node node) {
        Mark m = node.getStartMark();
        return m == null ? Position.file(file) : Position.of(file, m.getLine() + 1, m.getColumn() + 1);
    }

    public static Object toJava(Path file, Node node) {
        return toJava(file, VaultKeys.NONE, node);
    }

    /** Converts a node; its {@code !vault} values will be opened with {@code keys} when used. */
    public static Object toJava(Path file, VaultKeys keys, Node node) {
        return new Converter(file, keys).convert(node);
    }

    /** The text of a scalar key node, or an error naming its position. */
    public static String keyText(Path file, Node key) {
        if (key instanceof ScalarNode s) return s.getValue();
        throw new UserError(position(file, key), "a mapping key must be a plain value, found a "
                + (key instanceof MappingNode ? "mapping" : "list"));
    }

    /**
     * The tuples of a mapping with merge keys ({@code <<}) applied and duplicate keys refused. Use this
     * rather than {@code MappingNode.getValue()} when walking a structure.
     */
    public static List<NodeTuple> entries(Path file, MappingNode map) {
        Map<String, NodeTuple> seen = new LinkedHashMap<>();
        List<NodeTuple> merged = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode().getTag().equals(Tag.MERGE)) {
                merged.addAll(mergeSources(file, t.getValueNode()));
                continue;
            }
            String key = keyText(file, t.getKeyNode());
            NodeTuple first = seen.put(key, t);
            if (first != null) {
                throw new UserError(position(file, t.getKeyNode()), "duplicate key '" + key
                        + "' (first at line " + (first.getKeyNode().getStartMark().getLine() + 1) + ")");
            }
        }
        for (NodeTuple t : merged) {
            String key = keyText(file, t.getKeyNode());
            seen.putIfAbsent(key, t); // explicit keys win over merged ones
        }
        return new ArrayList<>(seen.values());
    }

    private static List<NodeTuple> mergeSources(Path file, Node value) {
        List<NodeTuple> out = new ArrayList<>();
        if (value instanceof MappingNode m) {
            out.addAll(entries(file, m));
        } else if (value instanceof SequenceNode s) {
            for (Node n : s.getValue()) out.addAll(mergeSources(file, n));
        } else {
            throw new UserError(position(file, value), "merge key '<<' expects a mapping or a list of mappings");
        }
        return out;
    }

    private static Yaml newYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // we refuse duplicates ourselves, with a position
        options.setMaxAliasesForCollections(100);
        options.setCodePointLimit(64 * 1024 * 1024);
        return new Yaml(options);
    }

    /** More values than any real playbook, inventory or vars file holds once its aliases are expanded. */
    static final long MAX_VALUES = 1_000_000;

    private static final class Converter {
        private final Path file;
        private final VaultKeys keys;
        private final ScalarConstructor scalars = new ScalarConstructor();
        private final IdentityHashMap<Node, Boolean> inProgress = new IdentityHashMap<>();
        private long converted;

        Converter(Path file, VaultKeys keys) {
            this.file = file;
            this.keys = keys;
        }

        Object convert(Node node) {
            if (inProgress.containsKey(node)) {
                throw new UserError(position(file, node), "recursive YAML alias");
            }
            // aliases of aliases multiply ("billion laughs"): a few lines would otherwise expand to billions of values
            if (++converted > MAX_VALUES) {
                throw new UserError(position(file, node), "YAML aliases expand to more than " + MAX_VALUES
                        + " values; expected a document whose aliases do not multiply");
            }
            inProgress.put(node, Boolean.TRUE);
            try {
                if (node instanceof MappingNode m) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    for (NodeTuple t : entries(file, m)) {
                        out.put(keyText(file, t.getKeyNode()), convert(t.getValueNode()));
                    }
                    return out;
                }
                if (node instanceof SequenceNode s) {
                    List<Object> out = new ArrayList<>(s.getValue().size());
                    for (Node n : s.getValue()) out.add(convert(n));
                    return out;
                }
                return scalar((ScalarNode) node);
            } finally {
                inProgress.remove(node);
            }
        }

        private Object scalar(ScalarNode node) {
            Tag tag = node.getTag();
            if (tag.equals(VAULT)) return new VaultText(node.getValue(), position(file, node), keys);
            if (tag.equals(UNSAFE) || tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP) || tag.equals(Tag.BINARY)) {
                return node.getValue();
            }
            if (tag.equals(Tag.BOOL) || tag.equals(Tag.INT) || tag.equals(Tag.FLOAT) || tag.equals(Tag.NULL)) {
                try {
                    return scalars.construct(node);
                } catch (RuntimeException e) {
                    return node.getValue();
                }
            }
            throw new UserError(position(file, node), "unsupported YAML tag '" + tag.getValue()
                    + "': expected a plain value, !unsafe or !vault");
        }
    }

    /** Exposes SnakeYAML's YAML 1.1 scalar construction (bool, int incl. octal/hex/sexagesimal, float, null). */
    private static final class ScalarConstructor extends SafeConstructor {
        ScalarConstructor() {
            super(new LoaderOptions());
        }

        Object construct(Node node) {
            return constructObject(node);
        }
    }
}
