#!/usr/bin/env python3
"""The AWS side of a release in the scaled topology, for bootstrap.sh and release.sh.

Run with the application's virtualenv (it has boto3); the instance role gives the rights.

    fleet.py get-parameter NAME            print an SSM parameter (SecureString decrypted)
    fleet.py put-parameter NAME VALUE      set a String parameter (the release revision)
    fleet.py refresh GROUP [--warmup S]    replace every instance of an Auto Scaling group, new
                                           ones first, each gated by the load balancer's health
                                           check; wait, exit 1 if it fails
"""

import argparse
import sys
import time

import boto3

DONE = {"Successful"}
FAILED = {"Failed", "Cancelled", "Cancelling", "RollbackInProgress", "RollbackSuccessful", "RollbackFailed"}


def get_parameter(name):
    return boto3.client("ssm").get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]


def put_parameter(name, value):
    boto3.client("ssm").put_parameter(Name=name, Value=value, Type="String", Overwrite=True)


def refresh(group, *, warmup, poll=15, timeout=3600):
    autoscaling = boto3.client("autoscaling")
    refresh_id = autoscaling.start_instance_refresh(
        AutoScalingGroupName=group,
        Strategy="Rolling",
        Preferences={
            # Launch a new host before taking an old one away: capacity never drops.
            "MinHealthyPercentage": 100,
            "MaxHealthyPercentage": 200,
            "InstanceWarmup": warmup,
            # The launch template does not change between releases (the revision is an SSM
            # parameter), so every instance is replaced.
            "SkipMatching": False,
        },
    )["InstanceRefreshId"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = autoscaling.describe_instance_refreshes(AutoScalingGroupName=group, InstanceRefreshIds=[refresh_id])[
            "InstanceRefreshes"
        ][0]
        print(f"{group}: {state['Status']} {state.get('PercentageComplete', 0)}% {state.get('StatusReason', '')}")
        if state["Status"] in DONE:
            return True
        if state["Status"] in FAILED:
            return False
        time.sleep(poll)
    autoscaling.cancel_instance_refresh(AutoScalingGroupName=group)
    return False


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    get = commands.add_parser("get-parameter")
    get.add_argument("name")
    put = commands.add_parser("put-parameter")
    put.add_argument("name")
    put.add_argument("value")
    roll = commands.add_parser("refresh")
    roll.add_argument("group")
    roll.add_argument("--warmup", type=int, default=300, help="seconds a new host needs before it counts")
    options = parser.parse_args(argv)
    if options.command == "get-parameter":
        print(get_parameter(options.name))
    elif options.command == "put-parameter":
        put_parameter(options.name, options.value)
    elif not refresh(options.group, warmup=options.warmup):
        sys.exit(f"fleet.py: the instance refresh of {options.group} did not succeed")


if __name__ == "__main__":
    main()
