using Microsoft.Extensions.AI;
using Orchestrator.Core.Ports;
using Orchestrator.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Answers the orchestrator's LLM steps with a Microsoft.Extensions.AI <see cref="IChatClient"/>. Each overload replaces
/// the registered <c>ILlmClient</c> (the last call wins, as with <c>AddLlmClient</c>).
/// </summary>
public static class ChatClientOrchestratorBuilderExtensions
{
    /// <summary>
    /// Answers LLM steps with the <see cref="IChatClient"/> registered in the container, such as the pipeline a host built
    /// with <c>services.AddChatClient(inner).UseLogging().UseDistributedCache()</c>.
    /// </summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="configure">Sets how requests are mapped.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddChatClient(this IOrchestratorBuilder builder, Action<ChatClientLlmClientOptions>? configure = null) =>
        AddChatClient(builder, static services => services.GetRequiredService<IChatClient>(), configure);

    /// <summary>Answers LLM steps with the <see cref="IChatClient"/> registered in the container under <paramref name="serviceKey"/>.</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="serviceKey">The chat client's key, as given to <c>services.AddKeyedChatClient</c>.</param>
    /// <param name="configure">Sets how requests are mapped.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddKeyedChatClient(this IOrchestratorBuilder builder, object serviceKey, Action<ChatClientLlmClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        return AddChatClient(builder, services => services.GetRequiredKeyedService<IChatClient>(serviceKey), configure);
    }

    /// <summary>Answers LLM steps with <paramref name="chatClient"/> (which the caller keeps and disposes).</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="chatClient">The chat client or pipeline.</param>
    /// <param name="configure">Sets how requests are mapped.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddChatClient(this IOrchestratorBuilder builder, IChatClient chatClient, Action<ChatClientLlmClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        return AddChatClient(builder, _ => chatClient, configure);
    }

    /// <summary>Answers LLM steps with the <see cref="IChatClient"/> <paramref name="factory"/> creates, once.</summary>
    /// <param name="builder">The orchestrator builder.</param>
    /// <param name="factory">Creates the chat client from the container.</param>
    /// <param name="configure">Sets how requests are mapped.</param>
    /// <returns>The builder.</returns>
    public static IOrchestratorBuilder AddChatClient(this IOrchestratorBuilder builder, Func<IServiceProvider, IChatClient> factory, Action<ChatClientLlmClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        var options = new ChatClientLlmClientOptions();
        configure?.Invoke(options);
        return builder.AddLlmClient(services => new ChatClientLlmClient(factory(services), options));
    }
}
