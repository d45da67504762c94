using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.ApiKeys;

public sealed class EvictInvalidatedApiKeyTests
{
    private static readonly Guid KeyId = Guid.NewGuid();
    private static readonly Guid OwnerId = Guid.NewGuid();

    private readonly IApiKeyCache _cache = Substitute.For<IApiKeyCache>();
    private readonly IAfterCommit _afterCommit = Substitute.For<IAfterCommit>();
    private readonly List<Func<CancellationToken, Task>> _enqueued = [];

    public EvictInvalidatedApiKeyTests() =>
        _afterCommit.When(a => a.Enqueue(Arg.Any<Func<CancellationToken, Task>>())).Do(call => _enqueued.Add(call.Arg<Func<CancellationToken, Task>>()));

    private Task Dispatch(IDomainEvent domainEvent) =>
        new EvictInvalidatedApiKey(_cache, _afterCommit).Handle(new DomainEventNotification(domainEvent), CancellationToken.None).AsTask();

    private async Task CommitAsync()
    {
        foreach (var action in _enqueued)
        {
            await action(CancellationToken.None);
        }
    }

    public static TheoryData<string> Invalidations => new() { "rotated", "revoked", "deleted" };

    private static IApiKeyInvalidated Invalidation(string kind, string keyHash) => kind switch
    {
        "rotated" => new ApiKeyRotated(KeyId, OwnerId, Guid.NewGuid(), "ap_ZyXwVuTs", keyHash),
        "revoked" => new ApiKeyRevoked(KeyId, OwnerId, "ap_AbCdEfGh", OwnerId, keyHash),
        "deleted" => new ApiKeyDeleted(KeyId, OwnerId, "ap_AbCdEfGh", OwnerId, keyHash),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Invalidations))]
    public async Task Handle_KeyInvalidated_EvictsItsHashOnlyAfterCommit(string kind)
    {
        await Dispatch(Invalidation(kind, "sha:the-key"));

        _afterCommit.ReceivedWithAnyArgs(1).Enqueue(default!);
        _cache.DidNotReceiveWithAnyArgs().Evict(default!);

        await CommitAsync();

        _cache.Received(1).Evict("sha:the-key");
    }

    [Theory]
    [MemberData(nameof(Invalidations))]
    public async Task Handle_KeyInvalidatedButNeverCommitted_NeverEvicts(string kind)
    {
        await Dispatch(Invalidation(kind, "sha:the-key"));

        _cache.DidNotReceiveWithAnyArgs().Evict(default!);
    }

    [Fact]
    public async Task Handle_KeyCreated_EnqueuesNothing()
    {
        await Dispatch(new ApiKeyCreated(KeyId, OwnerId, "ap_AbCdEfGh"));

        _afterCommit.DidNotReceiveWithAnyArgs().Enqueue(default!);
        _cache.DidNotReceiveWithAnyArgs().Evict(default!);
    }

    [Fact]
    public async Task Handle_EventOfAnotherAggregate_EnqueuesNothing()
    {
        await Dispatch(new PasswordChanged(OwnerId));

        _afterCommit.DidNotReceiveWithAnyArgs().Enqueue(default!);
    }

    [Fact]
    public async Task Handle_TwoInvalidations_EvictsEachHashAfterCommit()
    {
        await Dispatch(Invalidation("rotated", "sha:first"));
        await Dispatch(Invalidation("revoked", "sha:second"));

        await CommitAsync();

        _cache.Received(1).Evict("sha:first");
        _cache.Received(1).Evict("sha:second");
    }
}
