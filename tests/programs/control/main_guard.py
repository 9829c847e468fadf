# the usual `if __name__ == "__main__":` entry point.
def main():
    print("running as", __name__)


if __name__ == "__main__":
    main()
else:
    print("imported")
