using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Ports;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds the host's side systems to the orchestrator: the memory store, audit sinks, metrics sink, tokenizer and credit
/// rule. Each has an in-memory or built-in default. The memory store, metrics sink, tokenizer and credit rule are
/// replaced (the last call wins); audit sinks accumulate, and the first one added replaces the in-memory default.
/// </summary>
public static class OrchestratorBuilderIntegrationExtensions
{
    private const DynamicallyAccessedMemberTypes Constructors = DynamicallyAccessedMemberTypes.PublicConstructors;

    /// <summary>The default audit sink's registration (the in-memory sink), recognised so the host's first sink replaces it.</summary>
    internal static ServiceDescriptor DefaultAuditSink { get; } = ServiceDescriptor.Singleton<IAuditSink, InMemoryAuditSink>();

    /// <summary>Reads and saves memories with <typeparamref name="T"/>, replacing the in-memory store.</summary>
    /// <typeparam name="T">The host's memory store, created by the container.</typeparam>
    /// <param name="builder">The orchestrator builder.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddMemoryStore<[DynamicallyAccessedMembers(Constructors)] T>(this IOrchestratorBuilder builder)
        where T : class, IMemoryStore =>
        OrchestratorBuilderExtensions.Replace(builder, ServiceDescriptor.Singleton<IMemoryStore, T>());

    /// <summary>Reads and saves memories with the store <paramref name="factory"/> creates, replacing the in-memory store.</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="factory">Creates the store, once.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddMemoryStore(this IOrchestratorBuilder builder, Func<IServiceProvider, IMemoryStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return OrchestratorBuilderExtensions.Replace(builder, ServiceDescriptor.Singleton(factory));
    }

    /// <summary>
    /// Writes the audit trail to <typeparamref name="T"/> too. Several sinks may be added (each is fed from its own
    /// buffer); the first replaces the in-memory default. Adding the same type again does nothing.
    /// </summary>
    /// <typeparam name="T">The host's audit sink, created by the container.</typeparam>
    /// <param name="builder">The orchestrator builder.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddAuditSink<[DynamicallyAccessedMembers(Constructors)] T>(this IOrchestratorBuilder builder)
        where T : class, IAuditSink
    {
        RemoveDefaultAuditSink(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditSink, T>());
        return builder;
    }

    /// <summary>Writes the audit trail to <paramref name="sink"/> too (several sinks may be added; the first replaces the in-memory default).</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="sink">The sink.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddAuditSink(this IOrchestratorBuilder builder, IAuditSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        RemoveDefaultAuditSink(builder);
        builder.Services.AddSingleton(sink);
        return builder;
    }

    /// <summary>Writes the audit trail to the sink <paramref name="factory"/> creates too (several sinks may be added; the first replaces the in-memory default).</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="factory">Creates the sink, once.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddAuditSink(this IOrchestratorBuilder builder, Func<IServiceProvider, IAuditSink> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        RemoveDefaultAuditSink(builder);
        builder.Services.AddSingleton(factory);
        return builder;
    }

    /// <summary>Sends each run's <see cref="ExecutionMetrics"/> to <typeparamref name="T"/>, replacing the in-memory sink.</summary>
    /// <typeparam name="T">The host's metrics sink, created by the container.</typeparam>
    /// <param name="builder">The orchestrator builder.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddMetricsSink<[DynamicallyAccessedMembers(Constructors)] T>(this IOrchestratorBuilder builder)
        where T : class, IExecutionMetricsSink =>
        OrchestratorBuilderExtensions.Replace(builder, ServiceDescriptor.Singleton<IExecutionMetricsSink, T>());

    /// <summary>Sends each run's <see cref="ExecutionMetrics"/> to <paramref name="sink"/>, replacing the in-memory sink.</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="sink">The sink.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddMetricsSink(this IOrchestratorBuilder builder, IExecutionMetricsSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return OrchestratorBuilderExtensions.Replace(builder, ServiceDescriptor.Singleton(sink));
    }

    /// <summary>Counts memory tokens with <typeparamref name="T"/> (the model's tokenizer), replacing the four-characters-per-token estimate.</summary>
    /// <typeparam name="T">The tokenizer, created by the container.</typeparam>
    /// <param name="builder">The orchestrator builder.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddTokenEstimator<[DynamicallyAccessedMembers(Constructors)] T>(this IOrchestratorBuilder builder)
        where T : class, ITokenEstimator =>
        OrchestratorBuilderExtensions.Replace(builder, ServiceDescriptor.Singleton<ITokenEstimator, T>());

    /// <summary>Counts credits with <typeparamref name="T"/>, replacing the default (one credit per started 1,000 tokens).</summary>
    /// <typeparam name="T">The credit rule, created by the container.</typeparam>
    /// <param name="builder">The orchestrator builder.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddCreditCalculator<[DynamicallyAccessedMembers(Constructors)] T>(this IOrchestratorBuilder builder)
        where T : class, ICreditCalculator =>
        OrchestratorBuilderExtensions.Replace(builder, ServiceDescriptor.Singleton<ICreditCalculator, T>());

    private static void RemoveDefaultAuditSink(IOrchestratorBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Remove(DefaultAuditSink);
    }
}
