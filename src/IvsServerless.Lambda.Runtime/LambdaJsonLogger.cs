using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IvsServerless.Lambda.Runtime;

/// <summary>
/// Writes one JSON object per line (timestamp, level, message, requestId, traceId, extra properties).
/// Lambda forwards stdout to CloudWatch line by line, so each entry goes out in a single write.
/// </summary>
public sealed class LambdaJsonLogger : ILambdaLogger
{
    private static readonly string[] ReservedNames = ["timestamp", "level", "message", "requestId", "traceId"];

    // Log lines are read in CloudWatch, never rendered as HTML: keep quotes, '+', '<' readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Stream _output;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private volatile Scope? _scope;

    public LambdaJsonLogger(Stream output, LambdaLogLevel minimumLevel = LambdaLogLevel.Information, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        MinimumLevel = minimumLevel;
        _time = timeProvider ?? TimeProvider.System;
    }

    public LambdaLogLevel MinimumLevel { get; }

    public bool IsEnabled(LambdaLogLevel level) => level >= MinimumLevel;

    /// <summary>Stamps later entries with this invocation's ids; null clears them between invocations.</summary>
    public void SetInvocation(string? requestId, string? traceId) =>
        _scope = requestId is null && traceId is null ? null : new Scope(requestId, traceId);

    public void Log(LambdaLogLevel level, string message, params ReadOnlySpan<KeyValuePair<string, object?>> properties)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var scope = _scope;
        var timestamp = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        lock (_gate)
        {
            _buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_buffer, WriterOptions))
            {
                WriteEntry(writer, timestamp, level, message, scope, properties);
            }

            _buffer.Write("\n"u8);
            _output.Write(_buffer.WrittenSpan);
            _output.Flush();
        }
    }

    private static void WriteEntry(
        Utf8JsonWriter writer, string timestamp, LambdaLogLevel level, string message, Scope? scope,
        ReadOnlySpan<KeyValuePair<string, object?>> properties)
    {
        writer.WriteStartObject();
        writer.WriteString("timestamp", timestamp);
        writer.WriteString("level", LambdaLogLevels.ToLambdaName(level));
        writer.WriteString("message", message);
        if (scope?.RequestId is { } requestId)
        {
            writer.WriteString("requestId", requestId);
        }

        if (scope?.TraceId is { } traceId)
        {
            writer.WriteString("traceId", traceId);
        }

        foreach (var (name, value) in properties)
        {
            if (!string.IsNullOrEmpty(name) && Array.IndexOf(ReservedNames, name) < 0)
            {
                writer.WritePropertyName(name);
                WriteValue(writer, value);
            }
        }

        writer.WriteEndObject();
    }

    // A closed set of types keeps this reflection-free; anything else is logged as its ToString().
    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case DateTimeOffset dto: writer.WriteStringValue(dto); break;
            case DateTime dt: writer.WriteStringValue(dt); break;
            case IFormattable f: writer.WriteStringValue(f.ToString(null, CultureInfo.InvariantCulture)); break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }

    private sealed record Scope(string? RequestId, string? TraceId);
}
