/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.idle.IdlePolicy;
import dev.tether.proxy.Proxy;
import dev.tether.reconnect.Jitter;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.tls.Tls;
import dev.tether.tls.TlsProvider;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the public API honest: every public type is listed here and their number stays under a ceiling, no internal
 * type and no Netty type outside an allow-list appears in a public signature, every class is final or an interface,
 * and the internal packages make public only what other packages need.
 */
class ApiSurfaceTest {
    /**
     * The most public types allowed: issue 10's 33, plus issue 12's four ({@code Tls}, {@code TlsProvider}, {@code
     * Proxy}, {@code Proxy.Type}), plus issue 13's nine: the statistics ({@code Stats} with its two enums, {@code
     * ConnectionStats}, {@code ClientStats}), {@code DrainResult}, and the metrics SPI ({@code MetricsRecorder}, its
     * {@code ConnectAttempt} and {@code Phase}). A new one means retiring another, or raising this in a review.
     */
    private static final int MAX_PUBLIC_TYPES = 46;

    private static final List<Class<?>> PUBLIC_TYPES = List.of(
            TetherClient.class,
            ClientConfig.class,
            ClientConfig.Builder.class,
            Connection.class,
            BatchHandler.class,
            WriteBuffer.class,
            ConnectionState.class,
            ConnectionListener.class,
            ConnectionEvent.class,
            ConnectedEvent.class,
            DisconnectedEvent.class,
            FrameDroppedEvent.class,
            ClosedEvent.class,
            ReconnectScheduledEvent.class,
            GaveUpEvent.class,
            IdleTimeoutException.class,
            SendBuffer.class,
            SendRejectedException.class,
            KeepAlive.class,
            Transport.class,
            ReconnectPolicy.class,
            Jitter.class,
            IdlePolicy.class,
            MessageHandler.class,
            ClientException.class,
            ConnectFailedException.class,
            ConnectionClosedException.class,
            ConnectionClosedException.Reason.class,
            FrameTooLongException.class,
            MalformedFrameException.class,
            Framing.class,
            Framing.Kind.class,
            Codec.class,
            Tls.class,
            TlsProvider.class,
            Proxy.class,
            Proxy.Type.class,
            Stats.class,
            Stats.DropReason.class,
            Stats.DisconnectCause.class,
            ConnectionStats.class,
            ClientStats.class,
            DrainResult.class,
            MetricsRecorder.class,
            MetricsRecorder.ConnectAttempt.class,
            MetricsRecorder.Phase.class);

    /** The public members, as {@code Type.member}, whose signature may name a Netty type. */
    private static final Set<String> NETTY_IN_SIGNATURE = Set.of(
            "ClientConfig.Builder.eventLoopGroup", // runs the client on the user's own EventLoopGroup
            "ClientConfig.eventLoopGroup", // the accessor of that setting
            "ClientConfig.Builder.addHandler", // the one pipeline escape hatch: Supplier<? extends ChannelHandler>
            "ClientConfig.userHandlers"); // only PipelineInitializer reads it (issue 10: hide it in the rewrite)

    /** The types of the internal packages that are public, because code outside their own package uses them. */
    private static final Set<String> PUBLIC_INTERNALS = Set.of(
            "dev.tether.internal.DefaultTetherClient", // TetherClient.create constructs it
            "dev.tether.internal.Transports", // Transport.isAvailable asks it
            "dev.tether.internal.ConfigText", // ClientConfig.toString prints addresses with it
            "dev.tether.internal.pipeline.PipelineInitializer", // DefaultConnection and client-bench's DecodeBenchmark
            "dev.tether.internal.pipeline.PipelineSink"); // DefaultConnection's per-channel session implements it

    /**
     * The methods {@code type} declares, and those of its package-private superclasses, whose public methods users
     * call through {@code type} (as {@code ClientConfig.Builder} inherits its setters).
     */
    private static List<Method> declaredMethods(Class<?> type) {
        List<Method> methods = new ArrayList<>(List.of(type.getDeclaredMethods()));
        for (Class<?> up = type.getSuperclass();
                up != null && up != Object.class && !Modifier.isPublic(up.getModifiers());
                up = up.getSuperclass()) {
            methods.addAll(List.of(up.getDeclaredMethods()));
        }
        return methods;
    }

    @Test
    void noPublicSignatureMentionsAnInternalType() {
        List<String> leaks = leaks(c -> c.getPackageName().startsWith("dev.tether.internal"));
        assertEquals(List.of(), leaks, "public signatures that name an internal type");
    }

    @Test
    void nettyAppearsOnlyInTheAllowedSignatures() {
        List<String> leaks = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (String mention : leaks(c -> c.getPackageName().startsWith("io.netty."))) {
            String member = mention.substring(0, mention.indexOf(' '));
            if (NETTY_IN_SIGNATURE.contains(member)) {
                used.add(member);
            } else {
                leaks.add(mention);
            }
        }
        assertEquals(
                List.of(),
                leaks,
                "public signatures that name a Netty type; keep Netty out of the API, or add the member to "
                        + "NETTY_IN_SIGNATURE with the reason it must");
        assertEquals(
                new TreeSet<>(NETTY_IN_SIGNATURE),
                used,
                "NETTY_IN_SIGNATURE lists members that no longer name Netty: take them off");
    }

    @Test
    void classesAreFinalOrInterfacesOrExceptionRoots() {
        for (Class<?> type : PUBLIC_TYPES) {
            boolean ok = type.isInterface()
                    || type.isEnum()
                    || Modifier.isFinal(type.getModifiers())
                    || type == ClientException.class;
            assertTrue(ok, type + " should be final or an interface");
        }
    }

    @Test
    void everyPublicTypeOfTheApiPackagesIsListed() throws Exception {
        // a new public type must be added above, so the signature checks cover it
        Set<String> listed = new TreeSet<>();
        PUBLIC_TYPES.forEach(c -> listed.add(c.getName()));
        assertEquals(listed, names(apiTypes()), "public types of the API packages versus PUBLIC_TYPES");
    }

    @Test
    void publicTypesStayWithinTheCeiling() throws Exception {
        Set<Class<?>> api = apiTypes();
        assertTrue(
                api.size() <= MAX_PUBLIC_TYPES,
                "the public API is capped at " + MAX_PUBLIC_TYPES + " types, there are " + api.size() + ": "
                        + names(api));
    }

    @Test
    void internalPackagesMakePublicOnlyWhatOtherPackagesNeed() throws Exception {
        Set<String> found = new TreeSet<>();
        for (Map.Entry<String, List<Class<?>>> pkg : packages().entrySet()) {
            if (isInternal(pkg.getKey())) {
                pkg.getValue().stream().filter(ApiSurfaceTest::isExported).forEach(c -> found.add(c.getName()));
            }
        }
        assertEquals(
                new TreeSet<>(PUBLIC_INTERNALS),
                found,
                "public types of the internal packages versus PUBLIC_INTERNALS: make a new one package-private, or "
                        + "list it with the reason another package needs it; take off what is no longer public");
    }

    /** Returns every mention, in a public signature of a public type, of a class {@code matches} accepts. */
    private static List<String> leaks(Predicate<Class<?>> matches) {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : PUBLIC_TYPES) {
            String owner = simpleName(type);
            check(owner, "extends", type.getGenericSuperclass(), matches, leaks);
            for (Type t : type.getGenericInterfaces()) {
                check(owner, "implements", t, matches, leaks);
            }
            for (TypeVariable<?> v : type.getTypeParameters()) {
                check(owner, "type parameter", v, matches, leaks);
            }
            for (Method m : declaredMethods(type)) {
                if (isVisible(m) && !m.isSynthetic()) {
                    check(owner + "." + m.getName(), "returns", m.getGenericReturnType(), matches, leaks);
                    check(owner + "." + m.getName(), m, matches, leaks);
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (isVisible(c) && !c.isSynthetic()) {
                    check(owner + ".<init>", c, matches, leaks);
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (isVisible(f) && !f.isSynthetic()) {
                    check(owner + "." + f.getName(), "field", f.getGenericType(), matches, leaks);
                }
            }
        }
        return leaks;
    }

    private static void check(String member, Executable e, Predicate<Class<?>> matches, List<String> leaks) {
        for (Type p : e.getGenericParameterTypes()) {
            check(member, "parameter", p, matches, leaks);
        }
        for (Type x : e.getGenericExceptionTypes()) {
            check(member, "throws", x, matches, leaks);
        }
        for (TypeVariable<?> v : e.getTypeParameters()) {
            check(member, "type parameter", v, matches, leaks);
        }
    }

    private static void check(String member, String role, Type t, Predicate<Class<?>> matches, List<String> leaks) {
        if (t == null) {
            return; // the superclass of an interface
        }
        Set<Class<?>> named = new LinkedHashSet<>();
        collect(t, named, new HashSet<>());
        for (Class<?> c : named) {
            if (matches.test(c)) {
                leaks.add(member + " " + role + ": " + c.getName());
            }
        }
    }

    /** Adds every class {@code t} names, generic arguments and bounds included. */
    private static void collect(Type t, Set<Class<?>> out, Set<TypeVariable<?>> seen) {
        if (t instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            out.add(c);
        } else if (t instanceof ParameterizedType p) {
            collect(p.getRawType(), out, seen);
            for (Type a : p.getActualTypeArguments()) {
                collect(a, out, seen);
            }
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                collect(b, out, seen);
            }
            for (Type b : w.getLowerBounds()) {
                collect(b, out, seen);
            }
        } else if (t instanceof GenericArrayType a) {
            collect(a.getGenericComponentType(), out, seen);
        } else if (t instanceof TypeVariable<?> v && seen.add(v)) {
            for (Type b : v.getBounds()) {
                collect(b, out, seen);
            }
        }
    }

    private static boolean isVisible(Member m) {
        // protected members are API too: users may subclass ClientException
        return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
    }

    /** Tells whether code in any package can name {@code c}: it and every class around it are public. */
    private static boolean isExported(Class<?> c) {
        for (Class<?> t = c; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return !c.isAnonymousClass() && !c.isLocalClass();
    }

    private static boolean isInternal(String packageName) {
        return packageName.equals("dev.tether.internal") || packageName.startsWith("dev.tether.internal.");
    }

    private static Set<Class<?>> apiTypes() throws Exception {
        Set<Class<?>> api = new LinkedHashSet<>();
        for (Map.Entry<String, List<Class<?>>> pkg : packages().entrySet()) {
            if (!isInternal(pkg.getKey())) {
                pkg.getValue().stream().filter(ApiSurfaceTest::isExported).forEach(api::add);
            }
        }
        return api;
    }

    /** Returns the classes of every package of the library's main output, by package; none is initialised. */
    private static Map<String, List<Class<?>>> packages() throws Exception {
        Path root = Path.of(TetherClient.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Map<String, List<Class<?>>> packages = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root.resolve("dev/tether"))) {
            for (Path file : files.toList()) {
                String name = root.relativize(file)
                        .toString()
                        .replace(file.getFileSystem().getSeparator(), ".");
                if (!name.endsWith(".class") || name.endsWith("package-info.class")) {
                    continue;
                }
                // not initialised: a static initialiser (Transports has one) must not run for a check of names
                Class<?> c = Class.forName(
                        name.substring(0, name.length() - ".class".length()),
                        false,
                        ApiSurfaceTest.class.getClassLoader());
                packages.computeIfAbsent(c.getPackageName(), p -> new ArrayList<>())
                        .add(c);
            }
        }
        return packages;
    }

    /** Returns {@code Outer.Inner} for a nested type, without the package. */
    private static String simpleName(Class<?> type) {
        return type.getName().substring(type.getPackageName().length() + 1).replace('$', '.');
    }

    private static Set<String> names(Set<Class<?>> types) {
        Set<String> names = new TreeSet<>();
        types.forEach(c -> names.add(c.getName()));
        return names;
    }
}
