import { metrics, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createGuard, MemoryLedger } from '../../src/library';

test("with an OpenTelemetry SDK registered, each call is a GenAI span and counts in gen_ai.client.token.usage; a failed call's span is an error", async () => {
  const spans = new InMemorySpanExporter();
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
  const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 3_600_000 });
  const meters = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meters);
  after(async () => {
    await meters.shutdown();
    trace.disable();
    metrics.disable();
  });

  const guard = createGuard({ config: { file: 'inline', version: 1, warnAt: 0.8, files: [], ignore: [], models: [], budgets: [] }, ledger: new MemoryLedger(), user: 'alice' });
  const call = await guard.reserve({ model: 'gpt-4o', inputTokens: 1200, maxOutputTokens: 300 });
  await call.settle({ usage: { prompt_tokens: 1200, completion_tokens: 80 }, id: 'chatcmpl-otel', model: 'gpt-4o-2024-08-06' });
  await (await guard.reserve({ model: 'gpt-4o', inputTokens: 10, maxOutputTokens: 10 })).release();

  const [ok, failed] = spans.getFinishedSpans();
  assert.equal(ok.name, 'chat gpt-4o');
  assert.equal(ok.kind, SpanKind.CLIENT);
  assert.deepEqual(
    Object.fromEntries(Object.entries(ok.attributes).filter(([key]) => key.startsWith('gen_ai.'))),
    {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.request.max_tokens': 300,
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.response.id': 'chatcmpl-otel',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 80,
    },
  );
  assert.equal(failed.status.code, SpanStatusCode.ERROR);

  const { resourceMetrics } = await reader.collect();
  const histogram = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === 'gen_ai.client.token.usage') as HistogramMetricData;
  assert.equal(histogram.descriptor.unit, '{token}');
  assert.deepEqual(
    histogram.dataPoints.map((point) => [point.attributes['gen_ai.token.type'], point.value.sum]).sort(),
    [
      ['input', 1200],
      ['output', 80],
    ],
  );
});
