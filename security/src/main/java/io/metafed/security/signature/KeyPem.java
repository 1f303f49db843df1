package io.metafed.security.signature;

import java.util.Base64;

/** Minimal PEM (RFC 7468) armour for DER key structures: one labelled block, base64 in 64-character lines. */
final class KeyPem {
    private KeyPem() {
    }

    static String encode(byte[] der, String label) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    static byte[] decode(String pem, String label) {
        if (pem == null) {
            throw new IllegalArgumentException("PEM " + label + " must not be null");
        }
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = from < 0 ? -1 : pem.indexOf(end, from + begin.length());
        if (from < 0 || to < 0) {
            throw new IllegalArgumentException("expected a PEM block '" + begin + "' ... '" + end + "', found "
                    + (pem.contains("-----BEGIN") ? "another block type" : "no PEM block"));
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PEM " + label + " body is not base64: " + e.getMessage(), e);
        }
    }
}
