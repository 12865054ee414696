using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Orchestrator.Orleans.Tests.Cluster;

/// <summary>The test cluster's client: ADO.NET clustering on PostgreSQL when the world has it (else the test membership).</summary>
public sealed class ClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
    {
        ArgumentNullException.ThrowIfNull(clientBuilder);

        // A call the killed silo took in and never answered fails after this (30 s by default); above the wait slice.
        clientBuilder.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = OrleansTestCluster.ResponseTimeout);
        if (TestWorld.Current?.Postgres is { } connection)
        {
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connection;
            });
        }
    }
}
