namespace AuthPlatform.Infrastructure.Cluster;

/// <summary>
/// Tells the other nodes about a change this node made to its verification memory, once the change
/// committed (the callers are after-commit actions). Never throws and never waits for the network:
/// a lost announcement is what <see cref="MemoryLifetimes"/> and the drop on reconnection cover.
/// </summary>
public interface IInvalidationBus
{
    void Publish(Invalidation invalidation);
}

/// <summary>One node (no <c>Redis:Connection</c>): there is nobody to tell; the local memory already changed.</summary>
public sealed class SingleNodeBus : IInvalidationBus
{
    public void Publish(Invalidation invalidation)
    {
    }
}
