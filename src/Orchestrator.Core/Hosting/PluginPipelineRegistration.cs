using Orchestrator.Core.Execution;
using Polly;

namespace Orchestrator.Core.Hosting;

/// <summary>One <c>AddResiliencePipeline</c> call: the strategies it adds to the pipeline of one plugin.</summary>
internal sealed class PluginPipelineRegistration(string plugin, Action<ResiliencePipelineBuilder<StepOutcome>> configure)
{
    public string Plugin { get; } = plugin;

    public Action<ResiliencePipelineBuilder<StepOutcome>> Configure { get; } = configure;
}
