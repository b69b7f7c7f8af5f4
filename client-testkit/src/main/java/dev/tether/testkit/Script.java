/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * What a {@link ScriptedServer} does with one accepted connection: an immutable list of steps, run in order on the
 * connection's own thread.
 *
 * <p>Each method returns a new script with one more step, so a script can be shared and extended:
 *
 * <pre>{@code
 * Script subscribe = Script.create().send("HELLO\n").expectLine("SUBSCRIBE prices");
 * Script prices = subscribe.sendLines("p1", "p2").close();
 * Script hangUp = Script.create().close();          // FIN right after accept
 * }</pre>
 *
 * <p>A reading step that gets something else, or sees the connection end first, records a failure on the
 * {@link ServerConnection} (expected versus actual, with the connection and step index) and closes the connection;
 * {@link ScriptedServer#assertNoFailures()} reports it. A script that does not end with {@link #close()},
 * {@link #reset()} or {@link #stall()} ends as if with {@code stall()}. Text is UTF-8 throughout. Length-prefixed
 * frames use a big-endian prefix of 1, 2, 4 or 8 bytes that counts the payload only, as Tether's
 * {@code Framing.lengthField} does.
 *
 * @since 0.1
 */
public final class Script {
    /** Longest line or frame a reading step accepts, so a garbled length cannot exhaust the heap. */
    static final int MAX_READ = 16 * 1024 * 1024;

    private static final Script EMPTY = new Script(List.of());

    private final List<Step> steps;

    private Script(List<Step> steps) {
        this.steps = steps;
    }

    /**
     * Returns the empty script: on its own it behaves as {@link #stall()}.
     *
     * @return the empty script
     */
    public static Script create() {
        return EMPTY;
    }

    /**
     * Writes {@code text} in UTF-8, exactly as given: add the {@code "\n"} yourself.
     *
     * @param text the text; may be empty
     * @return a new script with the step added
     * @throws IllegalStateException if the script already ended or shut down its output
     */
    public Script send(String text) {
        Objects.requireNonNull(text, "text");
        return sendBytes("send(" + Diff.quote(text) + ")", text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code bytes} as they are.
     *
     * @param bytes the bytes, copied; may be empty
     * @return a new script with the step added
     * @throws IllegalStateException if the script already ended or shut down its output
     */
    public Script send(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return sendBytes("send(" + bytes.length + " bytes)", bytes.clone());
    }

    /**
     * Writes each line followed by {@code "\n"}, in one write.
     *
     * @param lines the lines, without line ends
     * @return a new script with the step added
     * @throws IllegalStateException if the script already ended or shut down its output
     */
    public Script sendLines(String... lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(Objects.requireNonNull(line, "line")).append('\n');
        }
        return sendBytes(
                "sendLines(" + lines.length + " lines)", text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes one frame: the payload's length as a big-endian integer of {@code prefixBytes} bytes, then the payload.
     *
     * @param prefixBytes the prefix size: 1, 2, 4 or 8
     * @param payload the payload, copied; may be empty
     * @return a new script with the step added
     * @throws IllegalArgumentException if {@code prefixBytes} is not 1, 2, 4 or 8, or the payload is longer than
     *     the prefix can express (255 bytes for 1, 65535 for 2)
     * @throws IllegalStateException if the script already ended or shut down its output
     */
    public Script sendFrame(int prefixBytes, byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        return sendBytes(
                "sendFrame(" + prefixBytes + ", " + payload.length + " bytes)", Frames.encode(prefixBytes, payload));
    }

    /**
     * Writes one frame whose payload is {@code text} in UTF-8; see {@link #sendFrame(int, byte[])}.
     *
     * @param prefixBytes the prefix size: 1, 2, 4 or 8
     * @param text the payload text
     * @return a new script with the step added
     * @throws IllegalArgumentException as {@link #sendFrame(int, byte[])} does
     * @throws IllegalStateException if the script already ended or shut down its output
     */
    public Script sendFrame(int prefixBytes, String text) {
        Objects.requireNonNull(text, "text");
        return sendFrame(prefixBytes, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code text} in UTF-8 one byte at a time, the first at once and then one every {@code interval}, so the
     * client sees many small reads; the next step starts after the last byte. The pacing runs on the server's
     * scheduler thread, never in the test.
     *
     * @param text the text; may be empty
     * @param interval the pause between two bytes; must be positive
     * @return a new script with the step added
     * @throws IllegalArgumentException if {@code interval} is zero or negative
     * @throws IllegalStateException if the script already ended or shut down its output
     */
    public Script drip(String text, Duration interval) {
        Objects.requireNonNull(text, "text");
        return drip(
                "drip(" + Diff.quote(text) + ", " + interval + ")", text.getBytes(StandardCharsets.UTF_8), interval);
    }

    /**
     * Writes {@code bytes} one at a time, as {@link #drip(String, Duration)} does.
     *
     * @param bytes the bytes, copied; may be empty
     * @param interval the pause between two bytes; must be positive
     * @return a new script with the step added
     * @throws IllegalArgumentException if {@code interval} is zero or negative
     * @throws IllegalStateException if the script already ended or shut down its output
     */
    public Script drip(byte[] bytes, Duration interval) {
        Objects.requireNonNull(bytes, "bytes");
        return drip("drip(" + bytes.length + " bytes, " + interval + ")", bytes.clone(), interval);
    }

    /**
     * Writes {@code times} lines, one every {@code interval}, the first one interval after the step starts: line
     * {@code i} (from 0) is {@code line.apply(i)} and a {@code "\n"}. The connection's thread waits between lines;
     * the server's {@code close()} ends the wait. For a feed or ticker that runs while {@link #replying} answers.
     *
     * @param interval the time before each line; must be positive
     * @param times how many lines; 0 writes nothing
     * @param line makes line {@code i}, without its line end; called on the connection's thread just before it is
     *     written
     * @return a new script with the step added
     * @throws IllegalArgumentException if {@code interval} is not positive or {@code times} is negative
     * @throws IllegalStateException if the script already ended or shut down its output
     */
    public Script every(Duration interval, int times, IntFunction<String> line) {
        Objects.requireNonNull(line, "line");
        Pacing.check("every", interval);
        if (times < 0) {
            throw new IllegalArgumentException("every times must be >= 0, was " + times);
        }
        String description = "every(" + interval + ", " + times + " lines)";
        return then(new Step(description, Step.Kind.SEND, run -> Pacing.every(run, interval, times, line)));
    }

    /**
     * Waits for {@code duration}, writing nothing; the server's {@code close()} ends the wait.
     *
     * @param duration how long; must be positive
     * @return a new script with the step added
     * @throws IllegalArgumentException if {@code duration} is not positive
     * @throws IllegalStateException if the script already ended
     */
    public Script pause(Duration duration) {
        Pacing.check("pause", duration);
        return then(new Step("pause(" + duration + ")", Step.Kind.PAUSE, run -> run.await(duration)));
    }

    /**
     * From here to the end of the script, answers each line the client sends while the later steps run: a thread of
     * the connection reads the lines (recorded as usual) and writes {@code reply.apply(line)} and a {@code "\n"}, or
     * nothing if the answer is empty. Once the server's output is shut down it reads on without answering.
     * {@link #close()} and {@link #stall()} then wait for the client to close, as they do otherwise.
     *
     * @param reply the answer to a line, given without its line end; called on the replying thread
     * @return a new script with the step added
     * @throws IllegalStateException if the script already ended, stopped reading or replies; no reading step may
     *     follow
     */
    public Script replying(Function<String, Optional<String>> reply) {
        Objects.requireNonNull(reply, "reply");
        return then(new Step("replying()", Step.Kind.REPLYING, run -> run.startReplying(reply)));
    }

    /**
     * From here to the end of the script, writes back every byte the client sends, unchanged and as it arrives, while
     * the later steps run: the classic echo server, for any framing. It works as {@link #replying} does, on a thread
     * of the connection that records what it reads; once the server's output is shut down it reads on without
     * answering.
     *
     * <pre>{@code
     * ScriptedServer echo = ScriptedServer.start(Script.create().echoing());
     * }</pre>
     *
     * @return a new script with the step added
     * @throws IllegalStateException if the script already ended, stopped reading or replies; no reading step may
     *     follow
     */
    public Script echoing() {
        return then(new Step("echoing()", Step.Kind.REPLYING, run -> run.startEchoing()));
    }

    /**
     * Reads one line (up to {@code \n}, a {@code \r} before it dropped) and checks that it equals {@code line}.
     *
     * @param line the expected line, without its line end
     * @return a new script with the step added
     * @throws IllegalStateException if the script already ended or stopped reading
     */
    public Script expectLine(String line) {
        Objects.requireNonNull(line, "line");
        return then(new Step("expectLine(" + Diff.quote(line) + ")", Step.Kind.READ, run -> run.expectLine(line)));
    }

    /**
     * Reads one length-prefixed frame and checks that its payload equals {@code payload}.
     *
     * @param prefixBytes the prefix size: 1, 2, 4 or 8
     * @param payload the expected payload, copied
     * @return a new script with the step added
     * @throws IllegalArgumentException if {@code prefixBytes} is not 1, 2, 4 or 8
     * @throws IllegalStateException if the script already ended or stopped reading
     */
    public Script expectFrame(int prefixBytes, byte[] payload) {
        Frames.checkPrefix(prefixBytes);
        byte[] copy = Objects.requireNonNull(payload, "payload").clone();
        String description = "expectFrame(" + prefixBytes + ", " + Diff.bytes(copy) + ")";
        return then(new Step(description, Step.Kind.READ, run -> run.expectFrame(prefixBytes, copy)));
    }

    /**
     * Reads one length-prefixed frame and checks that its payload is {@code text} in UTF-8.
     *
     * @param prefixBytes the prefix size: 1, 2, 4 or 8
     * @param text the expected payload text
     * @return a new script with the step added
     * @throws IllegalArgumentException if {@code prefixBytes} is not 1, 2, 4 or 8
     * @throws IllegalStateException if the script already ended or stopped reading
     */
    public Script expectFrame(int prefixBytes, String text) {
        Objects.requireNonNull(text, "text");
        return expectFrame(prefixBytes, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads lines until one matches, skipping (but recording) the others; fails if the connection ends first.
     *
     * @param description what the line should be, for failure messages, e.g. {@code "a SUBSCRIBE line"}
     * @param match the test for the awaited line; runs on the connection's thread
     * @return a new script with the step added
     * @throws IllegalStateException if the script already ended or stopped reading
     */
    public Script waitForLine(String description, Predicate<String> match) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(match, "match");
        return then(new Step(
                "waitForLine(" + description + ")", Step.Kind.READ, run -> run.waitForLine(description, match)));
    }

    /**
     * Reads length-prefixed frames until one's payload matches, skipping the others; fails if the connection ends
     * first.
     *
     * @param prefixBytes the prefix size: 1, 2, 4 or 8
     * @param description what the frame should be, for failure messages
     * @param match the test for the awaited payload; runs on the connection's thread
     * @return a new script with the step added
     * @throws IllegalArgumentException if {@code prefixBytes} is not 1, 2, 4 or 8
     * @throws IllegalStateException if the script already ended or stopped reading
     */
    public Script waitForFrame(int prefixBytes, String description, Predicate<byte[]> match) {
        Frames.checkPrefix(prefixBytes);
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(match, "match");
        String text = "waitForFrame(" + prefixBytes + ", " + description + ")";
        return then(new Step(text, Step.Kind.READ, run -> run.waitForFrame(prefixBytes, description, match)));
    }

    /**
     * Stops reading for good: the client's writes fill the socket buffers and then block or back up. Later steps may
     * still write; the connection then stays open until a later {@link #close()} or {@link #reset()}, or until the
     * server closes.
     *
     * @return a new script with the step added
     * @throws IllegalStateException if the script already ended or stopped reading
     */
    public Script stopReading() {
        return then(new Step("stopReading()", Step.Kind.STOP_READING, run -> run.stopReading()));
    }

    /**
     * Shuts down the server's output (a FIN; the client reads end of stream) and keeps reading, so later steps may
     * still expect what the client sends.
     *
     * @return a new script with the step added
     * @throws IllegalStateException if the script already ended or shut down its output
     */
    public Script halfClose() {
        return then(new Step("halfClose()", Step.Kind.HALF_CLOSE, run -> run.halfClose()));
    }

    /**
     * Ends the script by saying nothing more: it reads and records until the client closes, then closes too. After
     * {@link #stopReading()} it does not read, so it waits for the server to close.
     *
     * @return a new script with the step added
     * @throws IllegalStateException if the script already ended
     */
    public Script stall() {
        return then(new Step("stall()", Step.Kind.END, run -> run.stall()));
    }

    /**
     * Ends the script with a clean close: a FIN, then it reads and records until the client closes, so the client
     * never sees a reset for bytes it sent. After {@link #stopReading()} it closes at once, and unread bytes make the
     * kernel send a reset instead.
     *
     * @return a new script with the step added
     * @throws IllegalStateException if the script already ended
     */
    public Script close() {
        return then(new Step("close()", Step.Kind.END, run -> run.close()));
    }

    /**
     * Ends the script with a reset: closes with {@code SO_LINGER} 0, so the kernel sends an RST and the client sees
     * "Connection reset". The client may or may not have read bytes sent just before.
     *
     * @return a new script with the step added
     * @throws IllegalStateException if the script already ended
     */
    public Script reset() {
        return then(new Step("reset()", Step.Kind.END, run -> run.reset()));
    }

    /**
     * Returns the steps, for example {@code [send("HELLO\n"), expectLine("SUBSCRIBE prices"), close()]}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return steps.toString();
    }

    List<Step> steps() {
        return steps;
    }

    private Script sendBytes(String description, byte[] bytes) {
        return then(new Step(description, Step.Kind.SEND, run -> run.write(bytes)));
    }

    private Script drip(String description, byte[] bytes, Duration interval) {
        Pacing.check("drip", interval);
        return then(new Step(description, Step.Kind.SEND, run -> run.drip(bytes, interval)));
    }

    private Script then(Step step) {
        for (Step earlier : steps) {
            String conflict = conflict(earlier.kind(), step.kind());
            if (conflict != null) {
                throw new IllegalStateException(
                        step + " cannot follow " + earlier + ": " + conflict + " (script so far: " + steps + ")");
            }
        }
        List<Step> more = new ArrayList<>(steps);
        more.add(step);
        return new Script(List.copyOf(more));
    }

    private static String conflict(Step.Kind earlier, Step.Kind next) {
        if (earlier == Step.Kind.END) {
            return "the script has ended";
        }
        boolean reads = next == Step.Kind.READ || next == Step.Kind.STOP_READING || next == Step.Kind.REPLYING;
        if (earlier == Step.Kind.STOP_READING && reads) {
            return "the server no longer reads";
        }
        if (earlier == Step.Kind.REPLYING && reads) {
            return "the replying or echoing thread reads what the client sends";
        }
        if (earlier == Step.Kind.HALF_CLOSE && (next == Step.Kind.SEND || next == Step.Kind.HALF_CLOSE)) {
            return "the server's output is shut down";
        }
        return null;
    }
}
