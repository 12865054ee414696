using Orchestrator.Core.Execution;
using Orchestrator.Core.Usage;

namespace Orchestrator.Core.Ports;

/// <summary>
/// Turns a run's usage into the credits the host charges for it. The default, <see cref="TokenCreditCalculator"/>,
/// charges one credit per started thousand tokens; a host with another rule registers its own.
/// </summary>
public interface ICreditCalculator
{
    /// <summary>The credits a run with <paramref name="usage"/> costs.</summary>
    /// <param name="usage">The run's tokens and cost (<see cref="ExecutionUsage.Credits"/> is not yet set).</param>
    /// <returns>The credits, never negative.</returns>
    long CalculateCredits(ExecutionUsage usage);
}
