/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import io.netty.handler.codec.ByteToMessageDecoder;

/** A frame decoder that can tell whether a frame has started arriving but is not complete yet. */
public abstract class FrameDecoder extends ByteToMessageDecoder {
    /** Tells whether bytes of an unfinished frame are pending. Called on the channel's event loop. */
    public boolean hasPartialFrame() {
        return internalBuffer().isReadable();
    }
}
