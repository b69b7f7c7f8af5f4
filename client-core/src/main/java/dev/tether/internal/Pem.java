/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads certificates and private keys from PEM files with the JDK alone: PKCS#8 keys, plain or encrypted, and the
 * traditional OpenSSL RSA (PKCS#1) and EC (SEC1) keys, plain or encrypted with a {@code DEK-Info} header. Errors name
 * the file and what was wrong with it.
 */
final class Pem {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern HEADER = Pattern.compile("^([A-Za-z-]+):\\s*(.*)$", Pattern.MULTILINE);
    private static final byte[] RSA_ALGORITHM = { // SEQUENCE { OID 1.2.840.113549.1.1.1 (rsaEncryption), NULL }
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
    };
    private static final byte[] EC_PUBLIC_KEY_OID = { // OID 1.2.840.10045.2.1 (ecPublicKey)
        0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
    };

    private Pem() {}

    /** A PEM block: its label ({@code CERTIFICATE}, {@code RSA PRIVATE KEY}...), headers and decoded body. */
    private record Block(String label, String headers, byte[] der) {}

    /** Reads every certificate in {@code file}; fails if there is none. */
    static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        try {
            return readCertificates(file);
        } catch (RuntimeException e) { // garbled DER, say: never anything but a checked failure that names the file
            throw new GeneralSecurityException(file + ": not a readable PEM certificate file: " + e, e);
        }
    }

    private static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(file)) {
            if (block.label().equals("CERTIFICATE")) {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            }
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException(file + " holds no certificate (no -----BEGIN CERTIFICATE----- block)");
        }
        return certificates;
    }

    /** Reads the one private key in {@code file}, decrypting it with {@code password} (null: not encrypted). */
    static PrivateKey privateKey(Path file, char[] password) throws IOException, GeneralSecurityException {
        try {
            return readPrivateKey(file, password);
        } catch (RuntimeException e) { // garbled DER or headers: a checked failure that names the file, never a crash
            throw new GeneralSecurityException(file + ": not a readable PEM private key: " + e, e);
        }
    }

    private static PrivateKey readPrivateKey(Path file, char[] password) throws IOException, GeneralSecurityException {
        for (Block block : blocks(file)) {
            switch (block.label()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(block.der(), file);
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    return pkcs8(decryptPkcs8(block.der(), need(password, file), file), file);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(
                            sequence(integerZero(), RSA_ALGORITHM, octetString(traditional(block, password, file))),
                            file);
                }
                case "EC PRIVATE KEY" -> {
                    byte[] sec1 = traditional(block, password, file);
                    byte[] algorithm = sequence(EC_PUBLIC_KEY_OID, curveOf(sec1, file));
                    return pkcs8(sequence(integerZero(), algorithm, octetString(sec1)), file);
                }
                default -> {
                    // a certificate or parameters before the key: skip it
                }
            }
        }
        throw new GeneralSecurityException(file + " holds no private key (expected -----BEGIN PRIVATE KEY-----,"
                + " ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            int blank = body.indexOf("\n\n");
            String headers = body.contains("Proc-Type:") && blank >= 0 ? body.substring(0, blank) : "";
            String base64 = body.substring(headers.length()).replaceAll("\\s", "");
            try {
                blocks.add(new Block(m.group(1), headers, Base64.getDecoder().decode(base64)));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": the " + m.group(1) + " block is not valid base64", e);
            }
        }
        return blocks;
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisOne) {
                // try the next
            }
        }
        throw new GeneralSecurityException(
                file + ": the private key is not an RSA, EC, EdDSA or DSA key this JDK can read");
    }

    private static char[] need(char[] password, Path file) throws GeneralSecurityException {
        if (password == null) {
            throw new GeneralSecurityException(
                    file + ": the private key is encrypted; give its password (withClientCertificate(chain, key,"
                            + " password))");
        }
        return password;
    }

    private static byte[] decryptPkcs8(byte[] der, char[] password, Path file) throws GeneralSecurityException {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // PBES2 names its real scheme in the parameters, e.g. PBEWithHmacSHA256AndAES_256
            boolean pbes2 =
                    info.getAlgName().equals("PBES2") || info.getAlgName().equals("1.2.840.113549.1.5.13");
            String algorithm = pbes2 ? info.getAlgParameters().toString() : info.getAlgName();
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password)), info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (NoSuchAlgorithmException e) {
            throw new GeneralSecurityException(
                    file + ": the private key is encrypted with " + e.getMessage() + ", which this JDK cannot decrypt;"
                            + " convert it with openssl pkcs8 -topk8 -v2 aes-256-cbc",
                    e);
        } catch (IOException | GeneralSecurityException e) {
            throw new GeneralSecurityException(file + ": cannot decrypt the private key (wrong password?)", e);
        }
    }

    /** The DER of a traditional key, decrypted as its {@code DEK-Info} header says when it has one. */
    private static byte[] traditional(Block block, char[] password, Path file) throws GeneralSecurityException {
        if (!block.headers().contains("ENCRYPTED")) {
            return block.der();
        }
        Matcher header = HEADER.matcher(block.headers());
        String dekInfo = null;
        while (header.find()) {
            if (header.group(1).equals("DEK-Info")) {
                dekInfo = header.group(2).trim();
            }
        }
        if (dekInfo == null || !dekInfo.contains(",")) {
            throw new GeneralSecurityException(file + ": the encrypted key has no DEK-Info header");
        }
        String name = dekInfo.substring(0, dekInfo.indexOf(',')).toUpperCase(Locale.ROOT);
        String ivText = dekInfo.substring(dekInfo.indexOf(',') + 1).trim();
        if (!ivText.matches("([0-9A-Fa-f]{2}){8,}")) {
            throw new GeneralSecurityException(file + ": the DEK-Info header's IV is not at least 8 hex bytes");
        }
        byte[] iv = HexFormat.of().parseHex(ivText);
        int keyLength;
        String transformation;
        String keyAlgorithm;
        switch (name) {
            case "AES-128-CBC" -> {
                keyLength = 16;
                transformation = "AES/CBC/PKCS5Padding";
                keyAlgorithm = "AES";
            }
            case "AES-192-CBC" -> {
                keyLength = 24;
                transformation = "AES/CBC/PKCS5Padding";
                keyAlgorithm = "AES";
            }
            case "AES-256-CBC" -> {
                keyLength = 32;
                transformation = "AES/CBC/PKCS5Padding";
                keyAlgorithm = "AES";
            }
            case "DES-EDE3-CBC" -> {
                keyLength = 24;
                transformation = "DESede/CBC/PKCS5Padding";
                keyAlgorithm = "DESede";
            }
            default ->
                throw new GeneralSecurityException(file + ": the key is encrypted with " + name
                        + ", which is not supported (AES-128/192/256-CBC and DES-EDE3-CBC are); convert it to PKCS#8");
        }
        byte[] key = bytesToKey(new String(need(password, file)).getBytes(StandardCharsets.UTF_8), iv, keyLength);
        try {
            Cipher cipher = Cipher.getInstance(transformation);
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, keyAlgorithm), new IvParameterSpec(iv));
            return cipher.doFinal(block.der());
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(file + ": cannot decrypt the private key (wrong password?)", e);
        }
    }

    /** OpenSSL's {@code EVP_BytesToKey} with MD5 and one round, salted with the IV's first 8 bytes. */
    private static byte[] bytesToKey(byte[] password, byte[] iv, int length) throws GeneralSecurityException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        ByteArrayOutputStream key = new ByteArrayOutputStream();
        byte[] previous = new byte[0];
        while (key.size() < length) {
            md5.update(previous);
            md5.update(password);
            md5.update(iv, 0, 8);
            previous = md5.digest();
            key.writeBytes(previous);
        }
        byte[] out = new byte[length];
        System.arraycopy(key.toByteArray(), 0, out, 0, length);
        return out;
    }

    /** The curve OID element of a SEC1 {@code ECPrivateKey}: the content of its {@code [0]} parameters. */
    private static byte[] curveOf(byte[] sec1, Path file) throws GeneralSecurityException {
        try {
            Der outer = new Der(sec1, 0);
            Der field = outer.firstChild(); // version
            for (field = field.next(); field != null; field = field.next()) {
                if ((sec1[field.start] & 0xff) == 0xa0) {
                    Der oid = field.firstChild();
                    byte[] out = new byte[oid.end - oid.start];
                    System.arraycopy(sec1, oid.start, out, 0, out.length);
                    return out;
                }
                if (field.end >= outer.end) {
                    break;
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw new GeneralSecurityException(file + ": the EC private key is not valid DER", e);
        }
        throw new GeneralSecurityException(file + ": the EC private key does not name its curve");
    }

    /** One DER element: where it starts, where its content starts, and where it ends, within {@code bytes}. */
    private static final class Der {
        final byte[] bytes;
        final int start;
        final int contentStart;
        final int end;

        Der(byte[] bytes, int start) {
            this.bytes = bytes;
            this.start = start;
            int first = bytes[start + 1] & 0xff;
            int length;
            int at = start + 2;
            if (first < 0x80) {
                length = first;
            } else {
                length = 0;
                for (int i = 0; i < (first & 0x7f); i++) {
                    length = (length << 8) | (bytes[at++] & 0xff);
                }
            }
            if (length < 0 || length > bytes.length - at) {
                throw new IndexOutOfBoundsException("DER length " + length + " past the end");
            }
            this.contentStart = at;
            this.end = at + length;
        }

        Der firstChild() {
            return new Der(bytes, contentStart);
        }

        Der next() {
            return end < bytes.length ? new Der(bytes, end) : null;
        }
    }

    private static byte[] integerZero() {
        return new byte[] {0x02, 0x01, 0x00};
    }

    private static byte[] octetString(byte[] content) {
        return element(0x04, content);
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return element(0x30, content.toByteArray());
    }

    private static byte[] element(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
