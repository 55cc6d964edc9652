"""badgateway: why Amazon API Gateway answers 502 in front of AWS Lambda, and how to fix it."""

__version__ = "0.1.0"
