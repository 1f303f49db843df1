package io.metafed.model.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutation of valid inputs for the decoder fuzz tests: bit flips, byte replacements (random and
 * "interesting" values), truncation, insertion, deletion, little-endian int corruption at a chosen or random
 * offset (huge, negative, off-by-one lengths and counts) and splicing with another seed. Deterministic for a
 * given seed, so a failure names the input that reproduces it.
 */
public final class Mutator {
    private static final byte[] INTERESTING_BYTES = {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xff, '"', '{', '}',
            '\\', '\n', ' ', '#', ':', ',', '0', '9', '-', 'e'};
    private static final int[] INTERESTING_INTS = {0, 1, -1, 2, 4, 7, 8, 24, 255, 256, 0x7fff, 0xffff, 0x10000,
            65_536, 65_537, Integer.MAX_VALUE, Integer.MAX_VALUE - 8, Integer.MIN_VALUE, 1 << 30, 1 << 28};

    private final SplittableRandom random;
    private final List<byte[]> seeds;
    private final int[] intFields;

    /**
     * @param seed      explicit random seed
     * @param seeds     valid inputs to mutate (at least one)
     * @param intFields offsets of little-endian int length/count fields worth corrupting; may be empty
     */
    public Mutator(long seed, List<byte[]> seeds, int... intFields) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("need at least one seed input");
        }
        this.random = new SplittableRandom(seed);
        this.seeds = List.copyOf(seeds);
        this.intFields = intFields.clone();
    }

    /** A fresh mutant of a random seed input: one to four stacked mutations. */
    public byte[] next() {
        byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            b = mutate(b);
        }
        return b;
    }

    public SplittableRandom random() {
        return random;
    }

    /** One mutation of {@code b} (which is not modified). */
    public byte[] mutate(byte[] in) {
        byte[] b = in.clone();
        int kind = random.nextInt(9);
        if (b.length == 0 && kind != 4) {
            kind = 4;
        }
        switch (kind) {
            case 0 -> { // bit flip
                int i = random.nextInt(b.length);
                b[i] ^= (byte) (1 << random.nextInt(8));
            }
            case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            case 2 -> b[random.nextInt(b.length)] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
            case 3 -> b = Arrays.copyOf(b, random.nextInt(b.length)); // truncation
            case 4 -> { // insertion of 1..16 random or repeated bytes
                int at = random.nextInt(b.length + 1);
                byte[] ins = new byte[1 + random.nextInt(16)];
                if (random.nextBoolean()) {
                    random.nextBytes(ins);
                } else {
                    Arrays.fill(ins, INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)]);
                }
                byte[] out = new byte[b.length + ins.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(ins, 0, out, at, ins.length);
                System.arraycopy(b, at, out, at + ins.length, b.length - at);
                b = out;
            }
            case 5 -> { // deletion of a range
                int at = random.nextInt(b.length);
                int len = 1 + random.nextInt(Math.min(16, b.length - at));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, b.length - at - len);
                b = out;
            }
            case 6, 7 -> { // int field corruption: a declared length/count, or any aligned-or-not offset
                if (b.length < 4) {
                    return mutate(in);
                }
                int at = kind == 6 && intFields.length > 0 ? intFields[random.nextInt(intFields.length)]
                        : random.nextInt(b.length - 3);
                if (at + 4 > b.length) {
                    return b;
                }
                ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                int value = switch (random.nextInt(3)) {
                    case 0 -> INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
                    case 1 -> le.getInt(at) + (random.nextInt(33) - 16);
                    default -> random.nextInt();
                };
                le.putInt(at, value);
            }
            default -> { // splice: a prefix of this with a suffix of another seed
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int cut = random.nextInt(b.length + 1);
                int from = random.nextInt(other.length + 1);
                byte[] out = new byte[cut + other.length - from];
                System.arraycopy(b, 0, out, 0, cut);
                System.arraycopy(other, from, out, cut, other.length - from);
                b = out;
            }
        }
        return b;
    }
}
