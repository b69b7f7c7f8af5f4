/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the public API honest: no internal type leaks into it, and every class is final or an interface. */
class ApiSurfaceTest {
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
            dev.tether.reconnect.ReconnectPolicy.class,
            dev.tether.reconnect.Jitter.class,
            dev.tether.idle.IdlePolicy.class,
            MessageHandler.class,
            ClientException.class,
            ConnectFailedException.class,
            ConnectionClosedException.class,
            ConnectionClosedException.Reason.class,
            FrameTooLongException.class,
            MalformedFrameException.class,
            Framing.class,
            Framing.Kind.class,
            Codec.class);

    @Test
    void noPublicSignatureMentionsAnInternalType() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : PUBLIC_TYPES) {
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
                    check(type, m, leaks);
                    checkType(type + "." + m.getName() + " returns", m.getGenericReturnType(), leaks);
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (Modifier.isPublic(c.getModifiers())) {
                    check(type, c, leaks);
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers())) {
                    checkType(type + "." + f.getName(), f.getGenericType(), leaks);
                }
            }
        }
        assertEquals(List.of(), leaks);
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
    void everyPublicTypeOfThePackagesIsListed() throws Exception {
        // a new public type must be added above, so the leak check covers it
        for (Class<?> anchor : List.of(
                TetherClient.class,
                Framing.class,
                dev.tether.reconnect.ReconnectPolicy.class,
                dev.tether.idle.IdlePolicy.class)) {
            var root = java.nio.file.Path.of(
                    anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            var dir = root.resolve(anchor.getPackageName().replace('.', '/'));
            try (var files = java.nio.file.Files.list(dir)) {
                for (var file : files.toList()) {
                    String name = file.getFileName().toString();
                    if (!name.endsWith(".class") || name.equals("package-info.class")) {
                        continue;
                    }
                    Class<?> c = Class.forName(anchor.getPackageName() + "." + name.replace(".class", ""));
                    if (Modifier.isPublic(c.getModifiers()) && !c.isAnonymousClass()) {
                        assertTrue(PUBLIC_TYPES.contains(c), c + " is public but not in PUBLIC_TYPES");
                    }
                }
            }
        }
    }

    private static void check(Class<?> owner, Executable e, List<String> leaks) {
        for (Type p : e.getGenericParameterTypes()) {
            checkType(owner + "." + e.getName() + " parameter", p, leaks);
        }
        for (Type x : e.getGenericExceptionTypes()) {
            checkType(owner + "." + e.getName() + " throws", x, leaks);
        }
    }

    private static void checkType(String where, Type t, List<String> leaks) {
        if (t instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (c.getPackageName().startsWith("dev.tether.internal")) {
                leaks.add(where + ": " + c.getName());
            }
        } else if (t instanceof ParameterizedType p) {
            checkType(where, p.getRawType(), leaks);
            for (Type a : p.getActualTypeArguments()) {
                checkType(where, a, leaks);
            }
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                checkType(where, b, leaks);
            }
            for (Type b : w.getLowerBounds()) {
                checkType(where, b, leaks);
            }
        }
    }
}
