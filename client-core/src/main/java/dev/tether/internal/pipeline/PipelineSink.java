/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import dev.tether.ClientException;

/** Where the {@link Dispatcher} hands what reaches the end of a channel's pipeline; called on its event loop. */
public interface PipelineSink {
    /** A decoded message; the sink owns it. */
    void onMessage(Object message);

    /** A frame was dropped (too long or not decodable); the channel stays open. */
    void onFrameDropped(ClientException error);

    /**
     * An error after which the channel must close, such as a reset or a corrupt stream; {@code cause} is the error as
     * it was raised (an {@code IOException}, an {@code IdleTimeoutException}, a {@code ClientException}), unwrapped.
     */
    void onFatal(Throwable cause);

    /** The channel closed. */
    void onInactive();

    /** A socket read brought {@code bytes} bytes, not yet framed. */
    default void onBytesRead(int bytes) {}

    /** Called when the channel has handled everything one socket read brought. */
    default void onReadComplete() {}
}
