/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink.example;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts the records that reach it and emits none, ahead of the benchmark's discarding sink; its accumulators, merged
 * over the subtasks, make one {@link BenchJob.Result}.
 *
 * <p>It reads the clock on the first record and then once every {@value #SAMPLE} records, not on every one, so that
 * the clock costs nothing measurable: {@link #TIMED} counts the records up to the last reading, and the records after
 * it (fewer than {@value #SAMPLE} per subtask) are counted in {@link #RECORDS} but not timed.
 */
final class CountingFunction extends ProcessFunction<String, String> {
    static final String RECORDS = "bench-records";
    static final String TIMED = "bench-timed";
    static final String FIRST = "bench-first-nanos";
    static final String LAST = "bench-last-nanos";
    static final int SAMPLE = 1024;
    private static final long serialVersionUID = 1L;

    // the task thread only
    private transient LongCounter records;
    private transient LongCounter timed;
    private transient LongMinimum first;
    private transient LongMaximum last;
    private transient long count;
    private transient long timedCount;

    @Override
    public void open(OpenContext context) {
        records = new LongCounter();
        timed = new LongCounter();
        first = new LongMinimum();
        last = new LongMaximum();
        getRuntimeContext().addAccumulator(RECORDS, records);
        getRuntimeContext().addAccumulator(TIMED, timed);
        getRuntimeContext().addAccumulator(FIRST, first);
        getRuntimeContext().addAccumulator(LAST, last);
    }

    @Override
    public void processElement(String value, Context context, Collector<String> out) {
        long n = ++count;
        records.add(1L);
        if (n == 1 || n % SAMPLE == 0) {
            long now = System.nanoTime();
            if (n == 1) {
                first.add(now);
            }
            last.add(now);
            timed.add(n - timedCount);
            timedCount = n;
        }
    }
}
