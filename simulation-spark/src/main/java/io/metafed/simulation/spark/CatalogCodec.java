package io.metafed.simulation.spark;

import io.metafed.model.data.Attribute;
import io.metafed.model.data.AttributeValues;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Gender;
import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.RatingScale;
import io.metafed.model.data.UserProfile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * A dataset's side information (user and item profiles, vocabularies, rating scale), without its ratings, as
 * bytes: what every executor needs to build the devices and their layout, sent once per run as a broadcast. The
 * model classes are not {@link java.io.Serializable}, and should not have to be for one engine.
 */
final class CatalogCodec {
    private static final int MAGIC = 0x4d464354; // "MFCT"

    private CatalogCodec() {
    }

    static byte[] encode(Dataset d) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes))) {
            out.writeInt(MAGIC);
            out.writeUTF(d.source());
            strings(out, d.genres());
            strings(out, d.occupations());
            out.writeFloat(d.scale().min());
            out.writeFloat(d.scale().max());
            out.writeFloat(d.scale().step());
            attributes(out, d.userAttributes());
            attributes(out, d.itemAttributes());
            // Sorted, so the bytes (and the layout rebuilt from them) do not depend on map iteration order.
            Map<Integer, UserProfile> users = new TreeMap<>(d.users());
            out.writeInt(users.size());
            for (UserProfile u : users.values()) {
                out.writeInt(u.id());
                out.writeByte(u.gender().ordinal());
                out.writeInt(u.age());
                out.writeInt(u.occupation());
                out.writeUTF(u.zip());
                values(out, u.attributes());
            }
            Map<Integer, ItemProfile> items = new TreeMap<>(d.items());
            out.writeInt(items.size());
            for (ItemProfile it : items.values()) {
                out.writeInt(it.id());
                out.writeUTF(it.title());
                out.writeInt(it.releaseYear());
                boolean[] g = it.genres();
                out.writeInt(g.length);
                for (boolean b : g) {
                    out.writeBoolean(b);
                }
                values(out, it.attributes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to encode the catalogue of " + d.source(), e);
        }
        return bytes.toByteArray();
    }

    /** The dataset of {@link #encode}d bytes, with no interactions. */
    static Dataset decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(encoded)))) {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new IllegalArgumentException("catalogue bytes must start with 0x" + Integer.toHexString(MAGIC)
                        + ", found 0x" + Integer.toHexString(magic));
            }
            String source = in.readUTF();
            List<String> genres = strings(in);
            List<String> occupations = strings(in);
            RatingScale scale = new RatingScale(in.readFloat(), in.readFloat(), in.readFloat());
            List<Attribute> userAttributes = attributes(in);
            List<Attribute> itemAttributes = attributes(in);
            Gender[] genders = Gender.values();
            int userCount = in.readInt();
            Map<Integer, UserProfile> users = new LinkedHashMap<>();
            for (int i = 0; i < userCount; i++) {
                int id = in.readInt();
                users.put(id, new UserProfile(id, genders[in.readByte()], in.readInt(), in.readInt(), in.readUTF(),
                        values(in)));
            }
            int itemCount = in.readInt();
            Map<Integer, ItemProfile> items = new LinkedHashMap<>();
            for (int i = 0; i < itemCount; i++) {
                int id = in.readInt();
                String title = in.readUTF();
                int year = in.readInt();
                boolean[] g = new boolean[in.readInt()];
                for (int k = 0; k < g.length; k++) {
                    g[k] = in.readBoolean();
                }
                items.put(id, new ItemProfile(id, title, year, g, values(in)));
            }
            return new Dataset(source, List.of(), users, items, genres, occupations, scale, userAttributes,
                    itemAttributes);
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to decode a catalogue", e);
        }
    }

    private static void strings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String v : values) {
            out.writeUTF(v);
        }
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(in.readUTF());
        }
        return values;
    }

    private static void attributes(DataOutputStream out, List<Attribute> attributes) throws IOException {
        out.writeInt(attributes.size());
        for (Attribute a : attributes) {
            out.writeUTF(a.field());
            out.writeUTF(a.column());
            out.writeBoolean(a.multiHot());
            strings(out, a.values());
        }
    }

    private static List<Attribute> attributes(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<Attribute> attributes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            attributes.add(new Attribute(in.readUTF(), in.readUTF(), in.readBoolean(), strings(in)));
        }
        return attributes;
    }

    private static void values(DataOutputStream out, AttributeValues values) throws IOException {
        out.writeInt(values.count());
        for (int a = 0; a < values.count(); a++) {
            int[] v = values.of(a);
            out.writeInt(v.length);
            for (int x : v) {
                out.writeInt(x);
            }
        }
    }

    private static AttributeValues values(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n == 0) {
            return AttributeValues.NONE;
        }
        int[][] indices = new int[n][];
        for (int a = 0; a < n; a++) {
            indices[a] = new int[in.readInt()];
            for (int k = 0; k < indices[a].length; k++) {
                indices[a][k] = in.readInt();
            }
        }
        return new AttributeValues(indices);
    }
}
