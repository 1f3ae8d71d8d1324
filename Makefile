.PHONY: build test run bench format lint
build:
	swift build --build-tests
test:
	scripts/test
run:
	swift run upward serve --demo
bench:
	Benchmarks/import-people.sh
	Benchmarks/matching.sh
format:
	swift format --in-place --recursive Sources Tests Package.swift
lint:
	swift format lint --recursive Sources Tests Package.swift
