using System.Text;
using System.Text.Json;
using Json.Schema;

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

    private ToolArguments(JsonSchema schema) => _schema = schema;

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
            return new ToolArguments(JsonSchema.Build(inputSchema, new BuildOptions(), baseUri));
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
}
