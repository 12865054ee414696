using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Orchestrator.Core.Execution;

namespace Orchestrator.Orleans.Serialization;

/// <summary>
/// How the core's requests, results, decisions and events cross the grain boundary: as JSON strings, so the core's
/// types need no Orleans serializer and a client and a silo only have to agree on the core's version.
/// </summary>
internal static class RunJson
{
    private const string Started = "started";
    private const string Finished = "finished";
    private const string Retried = "retried";
    private const string Ended = "ended";

    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.General)
    {
        Converters = { new EquatableArrayJsonConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitUndefinedElements } },
    };

    /// <summary>An absent <see cref="JsonElement"/> (no inputs, no output) is left out, and read back as absent.</summary>
    private static void OmitUndefinedElements(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            if (property.PropertyType == typeof(JsonElement))
            {
                property.ShouldSerialize = static (_, value) => value is JsonElement { ValueKind: not JsonValueKind.Undefined };
            }
        }
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, s_options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, s_options) ?? throw new JsonException($"Expected a {typeof(T).Name}, found null.");

    /// <summary>An event as its kind and JSON.</summary>
    public static (string Kind, string Json) SerializeEvent(ExecutionEvent @event) => @event switch
    {
        StepStartedEvent started => (Started, Serialize(started)),
        StepFinishedEvent finished => (Finished, Serialize(finished)),
        StepRetriedEvent retried => (Retried, Serialize(retried)),
        ExecutionFinishedEvent ended => (Ended, Serialize(ended)),
        _ => throw new NotSupportedException($"The event type {@event.GetType().Name} cannot cross the cluster."),
    };

    /// <summary>The event of a kind and JSON; null for a kind this version does not know.</summary>
    public static ExecutionEvent? DeserializeEvent(string kind, string json) => kind switch
    {
        Started => Deserialize<StepStartedEvent>(json),
        Finished => Deserialize<StepFinishedEvent>(json),
        Retried => Deserialize<StepRetriedEvent>(json),
        Ended => Deserialize<ExecutionFinishedEvent>(json),
        _ => null,
    };
}
