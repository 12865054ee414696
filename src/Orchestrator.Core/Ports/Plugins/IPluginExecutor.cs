namespace Orchestrator.Core.Ports;

/// <summary>Runs plugin actions for the orchestrator: the host's boundary to the outside world (mail, chat, web, ...).</summary>
public interface IPluginExecutor
{
    /// <summary>Runs one action.</summary>
    /// <param name="request">What to run, for whom, with which parameters and idempotency key.</param>
    /// <param name="cancellationToken">Cancels the call (the step timed out, or the run stopped).</param>
    /// <returns>What the plugin said: data, or an error (which may be retryable). A plugin that says no returns a failed result; it does not throw.</returns>
    ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default);
}
