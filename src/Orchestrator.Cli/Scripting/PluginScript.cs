using System.Globalization;
using System.Text.Json;

namespace Orchestrator.Cli.Scripting;

/// <summary>
/// The <c>--plugins</c> file: <c>{ "plugin.action": [response, ...] }</c>. A response is a data value; or
/// <c>{"error": "...", "retryable": bool, "code": "..."}</c>; or <c>{"delay_ms": N, "data": ...}</c> (a delay may
/// also precede an error). An object with <c>error</c> or <c>delay_ms</c> is always an instruction, so data that has
/// such a field is written as <c>{"delay_ms": 0, "data": ...}</c>.
/// </summary>
internal sealed class PluginScript
{
    private const string ErrorField = "error";
    private const string RetryableField = "retryable";
    private const string CodeField = "code";
    private const string DelayField = "delay_ms";
    private const string DataField = "data";

    private static readonly JsonElement s_null = JsonDocument.Parse("null").RootElement.Clone();

    private PluginScript(string path, Dictionary<string, PluginResponse[]> actions)
    {
        Path = path;
        Actions = actions;
    }

    /// <summary>The file the script came from, for messages.</summary>
    public string Path { get; }

    /// <summary>The responses of each <c>plugin.action</c>, in order.</summary>
    public IReadOnlyDictionary<string, PluginResponse[]> Actions { get; }

    /// <summary>Reads a script, reporting every problem in it at once.</summary>
    /// <param name="root">The file's JSON.</param>
    /// <param name="path">The file's path, for messages.</param>
    /// <param name="problems">Every problem found; empty when the script is usable.</param>
    /// <returns>The script, or null when there are problems.</returns>
    public static PluginScript? Read(JsonElement root, string path, List<string> problems)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path}: must be an object mapping \"plugin.action\" to a list of responses.");
            return null;
        }

        var actions = new Dictionary<string, PluginResponse[]>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            var where = $"{path}: \"{property.Name}\"";
            var dot = property.Name.LastIndexOf('.');
            if (dot <= 0 || dot == property.Name.Length - 1)
            {
                problems.Add($"{where}: a key must be \"plugin.action\", such as \"slack.send_message\".");
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() == 0)
            {
                problems.Add($"{where}: must be a non-empty list of responses (calls past its end repeat the last one).");
                continue;
            }

            var responses = new List<PluginResponse>(property.Value.GetArrayLength());
            var index = 0;
            foreach (var element in property.Value.EnumerateArray())
            {
                if (ReadResponse(element, string.Create(CultureInfo.InvariantCulture, $"{where}[{index}]"), problems) is { } response)
                {
                    responses.Add(response);
                }

                index++;
            }

            actions[property.Name] = [.. responses];
        }

        return problems.Count == 0 ? new PluginScript(path, actions) : null;
    }

    private static PluginResponse? ReadResponse(JsonElement element, string where, List<string> problems)
    {
        if (element.ValueKind != JsonValueKind.Object || !(element.TryGetProperty(ErrorField, out _) || element.TryGetProperty(DelayField, out _)))
        {
            return new PluginResponse(element.Clone(), null, null, false, TimeSpan.Zero);
        }

        var before = problems.Count;
        string? error = null;
        string? code = null;
        var retryable = false;
        var delay = TimeSpan.Zero;
        var hasData = false;
        var data = s_null;
        foreach (var field in element.EnumerateObject())
        {
            switch (field.Name)
            {
                case ErrorField when field.Value.ValueKind == JsonValueKind.String:
                    error = field.Value.GetString();
                    break;
                case ErrorField:
                    problems.Add($"{where}: 'error' must be a string (the error message).");
                    break;
                case RetryableField when field.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    retryable = field.Value.GetBoolean();
                    break;
                case RetryableField:
                    problems.Add($"{where}: 'retryable' must be true or false.");
                    break;
                case CodeField when field.Value.ValueKind == JsonValueKind.String:
                    code = field.Value.GetString();
                    break;
                case CodeField:
                    problems.Add($"{where}: 'code' must be a string.");
                    break;
                case DelayField when field.Value.TryGetInt32(out var milliseconds) && milliseconds >= 0:
                    delay = TimeSpan.FromMilliseconds(milliseconds);
                    break;
                case DelayField:
                    problems.Add($"{where}: 'delay_ms' must be a whole number of milliseconds, 0 or more.");
                    break;
                case DataField:
                    hasData = true;
                    data = field.Value.Clone();
                    break;
                default:
                    problems.Add(
                        $"{where}: '{field.Name}' is not a field of a scripted response. An object with 'error' or 'delay_ms' is an instruction "
                        + "(fields: error, retryable, code, delay_ms, data); to return data that has such a field, write {\"delay_ms\": 0, \"data\": ...}.");
                    break;
            }
        }

        if (!element.TryGetProperty(ErrorField, out _) && (element.TryGetProperty(RetryableField, out _) || element.TryGetProperty(CodeField, out _)))
        {
            problems.Add($"{where}: 'retryable' and 'code' belong to an error response, which needs 'error'.");
        }

        if (error is not null && hasData)
        {
            problems.Add($"{where}: a response is either an error or data, not both.");
        }

        return problems.Count == before ? new PluginResponse(data, error, code, retryable, delay) : null;
    }
}
