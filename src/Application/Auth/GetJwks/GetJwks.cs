using AuthPlatform.Application.Common.Results;
using Mediator;

namespace AuthPlatform.Application.Auth.GetJwks;

/// <summary>The JSON Web Key Set of every published signing key (kept in memory: no database read).</summary>
public sealed record GetJwksQuery : IQuery<Result<string>>;

public sealed class GetJwksHandler(IPublishedKeys keys) : IQueryHandler<GetJwksQuery, Result<string>>
{
    public ValueTask<Result<string>> Handle(GetJwksQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Result<string>>(keys.JwksJson);
}
