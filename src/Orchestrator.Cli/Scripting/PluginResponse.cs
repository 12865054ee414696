using System.Text.Json;

namespace Orchestrator.Cli.Scripting;

/// <summary>One scripted answer of a plugin action: data, or an error, optionally after a delay.</summary>
/// <param name="Data">The data returned on success (null JSON when the script gave none).</param>
/// <param name="Error">The error message, when the response is a failure.</param>
/// <param name="ErrorCode">The machine-readable code of the failure, when the script gave one.</param>
/// <param name="Retryable">Whether the failure may succeed when tried again.</param>
/// <param name="Delay">How long the call takes before it answers.</param>
internal sealed record PluginResponse(JsonElement Data, string? Error, string? ErrorCode, bool Retryable, TimeSpan Delay);
