# Production deployments need the change-approved label on every pull request behind the commit.
package repol.deploy.change_approved

# GitHub compares environment names case-insensitively, so "Production" is the same environment.
production if lower(input.environment) == "production"

deny contains msg if {
	production
	some pr in input.pull_requests
	pr != null
	not "change-approved" in pr.labels
	msg := {
		"msg": concat("", ["pull request #", format_int(pr.number, 10), " needs the change-approved label before it reaches production"]),
		"code": "change_approved.missing",
	}
}

# A commit pushed without a pull request has no label to show.
deny contains "production deployments need a pull request carrying the change-approved label; none is behind this commit" if {
	production
	not has_pull_request
}

has_pull_request if some _ in input.pull_requests

# A replay of a recording without pull request details cannot show the label either.
deny contains "the labels of a pull request behind this commit are unknown, so change-approved cannot be confirmed" if {
	production
	some pr in input.pull_requests
	pr == null
}
