namespace Orchestrator.Core.Auditing;

/// <summary>How audit events reach the sinks.</summary>
public sealed class AuditOptions
{
    /// <summary>
    /// How many events of one run may wait for one sink. When a sink falls this far behind, further events for it are
    /// dropped and counted; the run's result carries a warning naming the sink and the count. Default 10,000.
    /// </summary>
    public int BufferCapacity { get; set; } = 10_000;

    /// <summary>
    /// How long the end of a run waits for the sinks to take its buffered events. Events a sink has not taken by then
    /// are still written in the background; the run's result carries a warning. Default 5 seconds.
    /// </summary>
    public TimeSpan FlushTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether step events (executed, failed, skipped, retried, ...) are written, not only run events. Default true.</summary>
    public bool IncludeStepEvents { get; set; } = true;

    /// <summary>
    /// Extra detail keys to redact, beside the built-in ones (any key ending in <c>token</c> or <c>session_id</c>, so
    /// <c>access_token</c> but not the count <c>input_tokens</c>; any key containing <c>password</c>, <c>passphrase</c>,
    /// <c>secret</c>, <c>credential</c>, <c>authorization</c>, <c>api_key</c>/<c>apikey</c>, <c>private_key</c> or
    /// <c>cookie</c>) and the parameters the plugin catalog marks sensitive. Matched case-insensitively against whole
    /// keys, ignoring <c>_</c>, <c>-</c>, <c>.</c> and spaces.
    /// </summary>
    public IList<string> RedactedKeys { get; } = [];

    internal bool SameAs(AuditOptions other) =>
        BufferCapacity == other.BufferCapacity && FlushTimeout == other.FlushTimeout && IncludeStepEvents == other.IncludeStepEvents
        && RedactedKeys.SequenceEqual(other.RedactedKeys, StringComparer.OrdinalIgnoreCase);

    internal AuditOptions Clone()
    {
        var copy = new AuditOptions { BufferCapacity = BufferCapacity, FlushTimeout = FlushTimeout, IncludeStepEvents = IncludeStepEvents };
        foreach (var key in RedactedKeys)
        {
            copy.RedactedKeys.Add(key);
        }

        return copy;
    }
}
