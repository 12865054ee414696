using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Execution;
using Orchestrator.Dashboard.Data;
using Orchestrator.Dashboard.Hosting;

namespace Orchestrator.Dashboard.Endpoints;

/// <summary>What the dashboard's endpoints share: the app's services, the options, and the runs it resumes.</summary>
internal sealed class DashboardContext
{
    public DashboardContext(IServiceProvider services, string prefix, OrchestratorDashboardOptions options)
    {
        Prefix = prefix;
        Services = services;
        Options = options;
        Logger = services.GetService<ILoggerFactory>()?.CreateLogger("Orchestrator.Dashboard") ?? NullLogger.Instance;
        TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        Reader = new RunReader(services, TimeProvider);
    }

    /// <summary>The path the dashboard is mounted at, without a trailing '/'.</summary>
    public string Prefix { get; }

    public IServiceProvider Services { get; }

    public OrchestratorDashboardOptions Options { get; }

    public ILogger Logger { get; }

    public TimeProvider TimeProvider { get; }

    public RunReader Reader { get; }

    /// <summary>Resumes a run whose approval was settled, in the background: the request that settled it does not wait for the run.</summary>
    public void StartResume(IWorkflowOrchestrator orchestrator, string executionId)
    {
        var stopping = Services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        _ = Task.Run(async () =>
        {
            try
            {
                var result = await orchestrator.ResumeAsync(executionId, stopping).ConfigureAwait(false);
                Log.RunResumed(Logger, executionId, result.Status);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The page shows the run as it is stored; the failure is the host's to see in its logs.
                Log.ResumeFailed(Logger, ex, executionId);
            }
        }, CancellationToken.None);
    }
}
