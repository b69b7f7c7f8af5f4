/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JUnit 5 extension that closes the {@link ScriptedServer}s a test started through a {@link ServerFactory}
 * parameter, and fails the test if it leaked: a Netty buffer not released, or a thread still alive.
 *
 * <pre>{@code
 * @ExtendWith(TetherTestExtension.class)
 * class PriceFeedTest {
 *     @Test
 *     void subscribes(ServerFactory servers) { ... }
 * }
 *
 * // or, to choose which threads count as leaked:
 * @RegisterExtension
 * static TetherTestExtension kit = new TetherTestExtension().withThreadFilter(n -> n.startsWith("feed-"));
 * }</pre>
 *
 * <p>After each test, and after its {@code @AfterEach} methods, it does three things and reports all problems in one
 * {@link AssertionError}:
 *
 * <ol>
 *   <li>closes the factory's servers and collects their recorded failures;
 *   <li>runs garbage collection and collects the buffer leak reports made during the test. This needs the test JVM
 *       to run with {@code -Dio.netty.customResourceLeakDetector=dev.tether.testkit.RecordingLeakDetector} and
 *       {@code -Dio.netty.leakDetection.level=paranoid}; without the first it logs a warning once and skips the
 *       check;
 *   <li>waits up to 2 s for threads that started during the test and match the thread filter to end, then lists the
 *       ones still alive. The default filter matches Tether's {@code <name>-io-<n>} threads and the kit's own
 *       {@code scripted-server-} threads.
 * </ol>
 *
 * @since 0.1
 */
public final class TetherTestExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final Logger log = LoggerFactory.getLogger(TetherTestExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(TetherTestExtension.class);
    private static final Duration THREAD_GRACE = Duration.ofSeconds(2);
    private static final Duration GC_TIMEOUT = Duration.ofSeconds(5);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private final Predicate<String> threadFilter;

    /** Creates the extension with the default thread filter; the form {@code @ExtendWith} uses. */
    public TetherTestExtension() {
        this(name -> name.contains("-io-") || name.startsWith("scripted-server-"));
    }

    private TetherTestExtension(Predicate<String> threadFilter) {
        this.threadFilter = threadFilter;
    }

    /**
     * Returns an extension that checks only threads whose name {@code filter} accepts, instead of the default.
     *
     * @param filter accepts the names of threads that must not outlive a test
     * @return a new extension
     */
    public TetherTestExtension withThreadFilter(Predicate<String> filter) {
        return new TetherTestExtension(Objects.requireNonNull(filter, "filter"));
    }

    /**
     * Notes the live threads and the leak reports so far, so that only the test's own count.
     *
     * @param context the test's context
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put("threads", Set.copyOf(Thread.getAllStackTraces().keySet()));
        store.put("leakMark", RecordingLeakDetector.reportCount());
    }

    /**
     * Closes the test's servers and checks for failures and leaks.
     *
     * @param context the test's context
     * @throws AssertionError listing every server failure, leak report and leftover thread
     */
    @Override
    public void afterEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        List<String> problems = new ArrayList<>();
        ServerFactory factory = store.remove("factory", ServerFactory.class);
        if (factory != null) {
            factory.closeAll().forEach(p -> problems.add("server: " + p));
        }
        Integer leakMark = store.remove("leakMark", Integer.class);
        leakReports(leakMark == null ? 0 : leakMark).forEach(p -> problems.add("buffer " + p));
        @SuppressWarnings("unchecked")
        Set<Thread> before = store.remove("threads", Set.class);
        List<String> threads = leftoverThreads(before == null ? Set.of() : before);
        if (!threads.isEmpty()) {
            problems.add("threads still alive " + THREAD_GRACE + " after the test: " + threads);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " problem(s) after " + context.getDisplayName() + ":\n"
                    + String.join("\n", problems));
        }
    }

    /**
     * Returns true for a {@link ServerFactory} parameter.
     *
     * @param parameter the parameter
     * @param context the context
     * @return whether this extension resolves the parameter
     */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ServerFactory.class;
    }

    /**
     * Returns the test's {@link ServerFactory}, the same one for the test method and its {@code @BeforeEach} and
     * {@code @AfterEach} methods.
     *
     * @param parameter the parameter
     * @param context the context
     * @return the factory
     * @throws ParameterResolutionException for a constructor or {@code @BeforeAll} parameter: servers live per test
     */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("ServerFactory is per test: declare it on a test, @BeforeEach or"
                    + " @AfterEach method, not on " + parameter.getDeclaringExecutable());
        }
        return context.getStore(NAMESPACE).computeIfAbsent("factory", k -> new ServerFactory(), ServerFactory.class);
    }

    private List<String> leftoverThreads(Set<Thread> before) {
        long deadline = System.nanoTime() + THREAD_GRACE.toNanos();
        while (true) {
            List<String> names = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !before.contains(t) && threadFilter.test(t.getName()))
                    .map(Thread::getName)
                    .sorted()
                    .toList();
            if (names.isEmpty() || System.nanoTime() - deadline >= 0) {
                return names;
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // polls for threads ending; makes no time pass
        }
    }

    /** Forces GC, makes Netty report what it collected, and returns the reports after {@code mark} not taken yet. */
    static List<String> leakReports(int mark) {
        if (!RecordingLeakDetector.isConfigured()) {
            if (WARNED.compareAndSet(false, true)) {
                log.warn(
                        "buffer leak checks are off: run the tests with -D{}={} and"
                                + " -Dio.netty.leakDetection.level=paranoid",
                        RecordingLeakDetector.PROPERTY,
                        RecordingLeakDetector.class.getName());
            }
            return List.of();
        }
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID
                && WARNED.compareAndSet(false, true)) {
            log.warn(
                    "Netty leak detection level is {}, so only some buffers are tracked; use paranoid",
                    ResourceLeakDetector.getLevel());
        }
        collectGarbage();
        // Netty reports a leak only when it next tracks a resource of the same type
        for (ByteBufAllocator allocator :
                List.of(PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT, ByteBufAllocator.DEFAULT)) {
            allocator.heapBuffer(1).release();
            allocator.directBuffer(1).release();
        }
        RecordingLeakDetector.drainAll();
        return RecordingLeakDetector.takeReportsSince(mark);
    }

    /** Runs GC until a fresh weakly reachable sentinel was cleared, so that earlier garbage was seen too. */
    private static void collectGarbage() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        Await.value(
                () -> {
                    System.gc();
                    return queue.poll() == sentinel;
                },
                Boolean::booleanValue,
                GC_TIMEOUT,
                "garbage collection to clear a sentinel weak reference");
    }
}
