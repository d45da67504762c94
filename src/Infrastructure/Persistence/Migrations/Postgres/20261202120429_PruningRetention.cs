using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthPlatform.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PruningRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "prune_leases",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    holder = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_prune_leases", x => x.name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_refresh_tokens_expires_at",
                table: "refresh_tokens",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "IX_refresh_token_families_current_token_expires_at",
                table: "refresh_token_families",
                column: "current_token_expires_at");

            migrationBuilder.CreateIndex(
                name: "IX_refresh_token_families_revoked_at",
                table: "refresh_token_families",
                column: "revoked_at");

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_occurred_at",
                table: "audit_events",
                column: "occurred_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "prune_leases");

            migrationBuilder.DropIndex(
                name: "IX_refresh_tokens_expires_at",
                table: "refresh_tokens");

            migrationBuilder.DropIndex(
                name: "IX_refresh_token_families_current_token_expires_at",
                table: "refresh_token_families");

            migrationBuilder.DropIndex(
                name: "IX_refresh_token_families_revoked_at",
                table: "refresh_token_families");

            migrationBuilder.DropIndex(
                name: "IX_audit_events_occurred_at",
                table: "audit_events");
        }
    }
}
