using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;

namespace Orchestrator.Stores.PostgreSql;

/// <summary>
/// Runs workflows on one of several hosts sharing a PostgreSQL database: a run is started or resumed only under its
/// lease, which is renewed in the background while the run goes on and released when it finishes or suspends. A host
/// that dies stops renewing; once the lease expires, <see cref="ResumeOrphanedRunsAsync"/> on another host takes the run
/// over and resumes it from its checkpoint. A host that loses a lease stops its run (and the store, fenced by the lease,
/// refuses its writes), so two hosts never run the same execution at once.
/// </summary>
public sealed class PostgreSqlRunHost
{
    private readonly IWorkflowOrchestrator _orchestrator;
    private readonly ICheckpointStore _store;
    private readonly PostgreSqlRunLeases _leases;
    private readonly PostgreSqlRunHostOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a host.</summary>
    /// <param name="orchestrator">The orchestrator, checkpointing in <paramref name="store"/>.</param>
    /// <param name="store">The run store (a <see cref="PostgreSqlCheckpointStore"/> whose lease owner is this host).</param>
    /// <param name="leases">The leases, in the same database.</param>
    /// <param name="options">This host's id and lease timing.</param>
    /// <param name="timeProvider">The clock of lease expiry and renewal; the system clock when null.</param>
    /// <param name="loggerFactory">Creates the host's logger; none when null.</param>
    public PostgreSqlRunHost(IWorkflowOrchestrator orchestrator, ICheckpointStore store, PostgreSqlRunLeases leases, PostgreSqlRunHostOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Owner);
        if (options.RenewInterval <= TimeSpan.Zero || options.RenewInterval >= options.LeaseDuration)
        {
            throw new ArgumentException($"{nameof(options.RenewInterval)} must be positive and shorter than {nameof(options.LeaseDuration)}.", nameof(options));
        }

        _orchestrator = orchestrator;
        _store = store;
        _leases = leases;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PostgreSqlRunHost>();
    }

    /// <summary>This host's id.</summary>
    public string Owner => _options.Owner;

    /// <summary>Starts a run under its lease and runs it to its end (or suspension) here.</summary>
    /// <param name="definition">The workflow.</param>
    /// <param name="request">Who runs it, with which inputs; an execution id is made when absent.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>How the run ended.</returns>
    /// <exception cref="InvalidOperationException">Another host holds the lease of that execution id.</exception>
    public async ValueTask<WorkflowExecutionResult> ExecuteAsync(WorkflowDefinition definition, WorkflowExecutionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(request);
        var id = request.ExecutionId ?? Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        if (!await TryAcquireAsync(id, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Run '{id}' is owned by another host.");
        }

        return await RunOwnedAsync(id, token => _orchestrator.ExecuteAsync(definition, request with { ExecutionId = id }, token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Resumes a run (one whose host died, or a suspended one whose approvals arrived) if this host can take its lease
    /// and it has not finished.
    /// </summary>
    /// <param name="executionId">The run.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>How the run ended here, or null when another host owns it or it has finished.</returns>
    public async ValueTask<WorkflowExecutionResult?> TryResumeAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        if (!await TryAcquireAsync(executionId, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // Checked under the lease: the host that finished it wrote its status before letting the lease go.
        if (await _store.LoadAsync(executionId, cancellationToken).ConfigureAwait(false) is not { Status: not CheckpointStatus.Finished })
        {
            await _leases.ReleaseAsync(executionId, Owner, CancellationToken.None).ConfigureAwait(false);
            return null;
        }

        return await RunOwnedAsync(executionId, token => _orchestrator.ResumeAsync(executionId, token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes over and resumes runs whose host is gone (still running, lease expired), one after another.</summary>
    /// <param name="limit">At most this many runs.</param>
    /// <param name="cancellationToken">Cancels the runs.</param>
    /// <returns>The results of the runs this host resumed.</returns>
    public async ValueTask<IReadOnlyList<WorkflowExecutionResult>> ResumeOrphanedRunsAsync(int limit = 16, CancellationToken cancellationToken = default)
    {
        var results = new List<WorkflowExecutionResult>();
        foreach (var id in await _leases.ListOrphanedRunsAsync(_time.GetUtcNow(), limit, cancellationToken).ConfigureAwait(false))
        {
            if (await TryResumeAsync(id, cancellationToken).ConfigureAwait(false) is { } result)
            {
                Log.OrphanResumed(_logger, Owner, id);
                results.Add(result);
            }
        }

        return results;
    }

    private ValueTask<bool> TryAcquireAsync(string executionId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return _leases.TryAcquireAsync(executionId, Owner, now + _options.LeaseDuration, now, cancellationToken);
    }

    private async ValueTask<WorkflowExecutionResult> RunOwnedAsync(string executionId, Func<CancellationToken, ValueTask<WorkflowExecutionResult>> run, CancellationToken cancellationToken)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopRenewing = new CancellationTokenSource();
        var renewing = RenewAsync(executionId, lost, stopRenewing.Token);
        try
        {
            return await run(lost.Token).ConfigureAwait(false);
        }
        finally
        {
            await stopRenewing.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            await _leases.ReleaseAsync(executionId, Owner, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Renews the lease every <see cref="PostgreSqlRunHostOptions.RenewInterval"/>; when it is lost, stops the run.</summary>
    private async Task RenewAsync(string executionId, CancellationTokenSource lost, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.RenewInterval, _time, stop).ConfigureAwait(false);
                if (!await _leases.RenewAsync(executionId, Owner, _time.GetUtcNow() + _options.LeaseDuration, stop).ConfigureAwait(false))
                {
                    Log.LeaseLost(_logger, Owner, executionId);
                    await lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed renewal (the database briefly away) is retried; the lease and the fenced store keep runs exclusive meanwhile.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.LeaseRenewalFailed(_logger, Owner, executionId, ex);
            }
        }
    }
}
