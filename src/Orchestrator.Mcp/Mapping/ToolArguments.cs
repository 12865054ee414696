using System.Text;
using System.Text.Json;
using Json.Schema;
using Orchestrator.Core.Ports;

namespace Orchestrator.Mcp.Mapping;

/// <summary>
/// A tool's <c>inputSchema</c>, compiled once with JsonSchema.Net, to check arguments before they are sent: a call the
/// server would refuse (a string for a number, a value outside an enum, a missing required argument, an argument the
/// schema forbids) fails here as <see cref="McpPluginErrorCodes.InvalidArguments"/>, with the schema's own words and
/// where in the arguments each problem is.
/// </summary>
internal sealed class ToolArguments
{
    private const int MaxReportedErrors = 10;

    private static readonly EvaluationOptions s_evaluation = new() { OutputFormat = OutputFormat.List };
    private static readonly JsonElement s_noArguments = JsonDocument.Parse("{}").RootElement.Clone();

    private static long s_builds;

    private readonly JsonSchema _schema;
    private readonly JsonElement _source;

    private ToolArguments(JsonSchema schema, JsonElement source)
    {
        _schema = schema;
        _source = source;
    }

    /// <summary>
    /// Compiles <paramref name="inputSchema"/>; <see langword="null"/> when there is none or it cannot be compiled (a
    /// schema the library does not understand is not checked, rather than making the tool unusable).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A server's schema is outside input: any failure to compile it means 'not checked', never a failed discovery.")]
    public static ToolArguments? TryCreate(JsonElement inputSchema, string server, string tool)
    {
        if (inputSchema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        try
        {
            // Each schema gets its own base URI, unique in the process: JsonSchema.Net registers built schemas by URI, and a
            // second build under the same one (a refresh, a second catalog) fails. Tools' schemas rarely have an $id.
            var build = Interlocked.Increment(ref s_builds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var baseUri = new Uri("urn:orchestrator-mcp:" + build + ":" + Uri.EscapeDataString(server) + ":" + Uri.EscapeDataString(tool));
            return new ToolArguments(JsonSchema.Build(inputSchema, new BuildOptions(), baseUri), inputSchema.Clone());
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>Checks <paramref name="arguments"/> (absent arguments are checked as <c>{}</c>); returns the problems, or <see langword="null"/> when valid.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "An evaluation failure inside the schema library must not fail a call the server may well accept.")]
    public string? Check(JsonElement arguments)
    {
        EvaluationResults results;
        try
        {
            results = _schema.Evaluate(arguments.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? s_noArguments : arguments, s_evaluation);
        }
        catch (Exception)
        {
            return null;
        }

        if (results.IsValid)
        {
            return null;
        }

        var builder = new StringBuilder();
        var count = 0;
        foreach (var result in results.Details is { Count: > 0 } details ? details : [results])
        {
            if (result.Errors is null)
            {
                continue;
            }

            foreach (var (keyword, message) in result.Errors)
            {
                if (++count > MaxReportedErrors)
                {
                    builder.Append("; ...");
                    return builder.ToString();
                }

                var location = result.InstanceLocation.ToString();
                builder.Append(builder.Length == 0 ? "" : "; ")
                    .Append(location.Length == 0 ? "the arguments" : location)
                    .Append(keyword.Length == 0 ? "" : " (" + keyword + ")")
                    .Append(": ")
                    .Append(message);
            }
        }

        return builder.Length == 0 ? "the arguments do not match the tool's input schema" : builder.ToString();
    }

    /// <summary>
    /// Checks the arguments a step writes in its document, at plan time: literal values against the schema (types, enums,
    /// formats, nested shapes), every name against <c>additionalProperties: false</c>. Arguments computed at run time
    /// (<see langword="null"/> values) are checked by name only, and required arguments are left to the planner's own
    /// check, since a computed one is present though its value is unknown.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "An evaluation failure inside the schema library must not fail planning a step the server may well accept.")]
    public IReadOnlyList<PluginArgumentProblem> CheckPlanned(IReadOnlyDictionary<string, JsonElement?> arguments)
    {
        var problems = new List<PluginArgumentProblem>();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in arguments)
            {
                if (value is { } literal)
                {
                    writer.WritePropertyName(name);
                    literal.WriteTo(writer);
                }
                else if (Forbids(name))
                {
                    problems.Add(new PluginArgumentProblem(name, "the tool's input schema allows no such argument (additionalProperties: false)"));
                }
            }

            writer.WriteEndObject();
        }

        EvaluationResults results;
        try
        {
            results = _schema.Evaluate(JsonElement.Parse(buffer.WrittenSpan), s_evaluation);
        }
        catch (Exception)
        {
            return problems;
        }

        if (results.IsValid)
        {
            return problems;
        }

        foreach (var result in results.Details is { Count: > 0 } details ? details : [results])
        {
            // Only problems inside one argument are the step's for sure: one at the top (required, minProperties, a
            // oneOf over the whole object) may depend on the arguments whose values are computed at run time.
            var location = result.InstanceLocation.ToString();
            if (result.Errors is null || location.Length < 2)
            {
                continue;
            }

            var argument = ArgumentOf(location);
            foreach (var (keyword, message) in result.Errors)
            {
                if (problems.Count >= MaxReportedErrors)
                {
                    return problems;
                }

                problems.Add(new PluginArgumentProblem(argument, location + (keyword.Length == 0 ? "" : " (" + keyword + ")") + ": " + message));
            }
        }

        return problems;
    }

    /// <summary>Whether the schema forbids an argument called <paramref name="name"/> whatever its value.</summary>
    private bool Forbids(string name) =>
        _source.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False
        && !_source.TryGetProperty("patternProperties", out _)
        && !(_source.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out _));

    /// <summary>The argument a JSON Pointer such as <c>/a/0/b</c> starts in, unescaped (<c>~1</c> is <c>/</c>, <c>~0</c> is <c>~</c>).</summary>
    private static string ArgumentOf(string pointer)
    {
        var end = pointer.IndexOf('/', 1);
        var segment = end < 0 ? pointer[1..] : pointer[1..end];
        return segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
    }
}
