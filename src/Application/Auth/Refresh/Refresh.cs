using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Results;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.Auth.Refresh;

/// <summary>Redeems a refresh token of a user's own session for a new access token and a new refresh token (rotation).</summary>
public sealed record RefreshCommand(string RefreshToken) : ICommand<Result<TokenPair>>, ISavesWithoutAmbientTransaction;

public sealed class RefreshValidator : AbstractValidator<RefreshCommand>
{
    public RefreshValidator()
    {
        RuleFor(c => c.RefreshToken).NotEmpty().WithMessage("A refresh token is required.")
            .MaximumLength(512).WithMessage("This is not a refresh token.");
    }
}

/// <summary>The rotation itself is <see cref="RefreshTokenRotation"/>, shared with the OAuth refresh grant; a client's token is not a session's.</summary>
public sealed class RefreshHandler(RefreshTokenRotation rotation) : ICommandHandler<RefreshCommand, Result<TokenPair>>
{
    public async ValueTask<Result<TokenPair>> Handle(RefreshCommand command, CancellationToken cancellationToken)
    {
        var rotated = await rotation.RotateAsync(command.RefreshToken, clientId: null, check: null, narrowedTo: null, cancellationToken);
        if (rotated.IsFailure)
        {
            return rotated.WithoutValue();
        }

        var (_, _, refreshToken, access) = rotated.Value;
        return new TokenPair(access.Token, refreshToken, "Bearer", access.ExpiresIn, access.ExpiresAt);
    }
}
